import path from 'node:path';

/** The entries of the main build (electron.vite.config.ts) that run in worker threads. */
export type BuiltEntry = 'worker' | 'netsuite-page-fetcher' | 'flat-fast-helper';

/**
 * Where a built worker entry is. The app, the CLI and browser mode all run the build in out/main,
 * whose shared chunks sit beside the entries, so the entry is beside this module. Tests run the
 * TypeScript sources (vitest) and point REFUND_RECON_OUT_DIR at the build their global setup made
 * (vitest.config.mts), so a worker always runs built JavaScript: one code path.
 */
export function builtEntry(name: BuiltEntry): string {
  return path.join(process.env.REFUND_RECON_OUT_DIR ?? __dirname, `${name}.js`);
}
