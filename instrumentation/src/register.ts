// Zero-code start: `node --import @dss/instrumentation/register app.js`. Configured by the OTEL_*
// and DSS_* environment only; flushes on SIGTERM, SIGINT and normal exit.
import { startTelemetry } from './start-telemetry.ts';

startTelemetry({ handleSignals: true });
