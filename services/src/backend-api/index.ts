// @dss/services/backend-api: the DSS's HTTP API. See services/README.md.
export { type AppDeps, createApp } from './app.ts';
export { parseTokens, type TokenMap } from './auth.ts';
export { type BackendApiOptions, type RunningBackendApi, startBackendApi } from './start-backend-api.ts';
