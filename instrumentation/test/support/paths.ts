import { fileURLToPath } from 'node:url';

export const CONVENTION_DOC_PATH = fileURLToPath(new URL('../../../docs/conventions.md', import.meta.url));
export const FIXTURE_APP = fileURLToPath(new URL('../fixtures/express-app.ts', import.meta.url));
export const INSTRUMENTATION_PACKAGE_JSON = fileURLToPath(new URL('../../package.json', import.meta.url));
