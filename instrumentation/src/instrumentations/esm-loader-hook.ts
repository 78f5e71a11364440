// ESM modules cannot be patched after they load: a loader hook must wrap them as they are
// imported. We hook only the modules an instrumentation patches (as the Elastic distribution
// does), which avoids most of import-in-the-middle's known breakage on other modules.
import * as nodeModule from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { register as registerSyncHooks, supportsSyncHooks } from 'import-in-the-middle/register-hooks.mjs';

const REGISTERED = Symbol.for('dss.instrumentation.esm-loader-hook');
type Registry = typeof globalThis & { [REGISTERED]?: boolean };

/**
 * Node >= 24.11.1 (and 22.22.3) run the hook in-thread (module.registerHooks); it can be told the
 * module names once the instrumentations exist, so call this after creating them.
 * Older Node needs the off-thread loader, registered before the instrumentations are created so
 * that their hook requests reach it over the message channel: `beforeInstrumentations` does that.
 */
export function registerEsmLoaderHookBeforeInstrumentations(): void {
  if (supportsSyncHooks() || (globalThis as Registry)[REGISTERED]) return;
  (globalThis as Registry)[REGISTERED] = true;
  const { registerOptions } = createAddHookMessageChannel();
  nodeModule.register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
}

export function registerEsmLoaderHookAfterInstrumentations(moduleNames: string[]): void {
  if (!supportsSyncHooks() || (globalThis as Registry)[REGISTERED]) return;
  (globalThis as Registry)[REGISTERED] = true;
  registerSyncHooks({ include: moduleNames });
}
