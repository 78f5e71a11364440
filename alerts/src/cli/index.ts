// The `dss-obs alerts` commands: check rule files, run rule unit tests, check routing, serve.

// Until package.json maps "." to src/index.ts: `dss-obs up` reaches startAlerts here.
export { type RunningAlerts, type StartAlertsOptions, startAlerts } from '../index.ts';
export { checkRulesCommand } from './check-rules.ts';
export { bufferedOutput, type CommandOutput, processOutput } from './output.ts';
export { checkConfigCommand, type ServeArgs, serveCommand } from './routing.ts';
export { silenceAddCommand, silenceExpireCommand, silenceListCommand } from './silence.ts';
export { testRulesCommand } from './test-rules.ts';
