/**
 * vitest global setup: the tests run the TypeScript sources, but worker threads and spawned CLIs
 * run the build in out/ (as the app does), so build it first when a source is newer than it.
 * vitest.config.mts points REFUND_RECON_OUT_DIR at out/main for the sources' builtEntry().
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const state = require('../../scripts/build-state.cjs') as {
  isStale(): boolean;
  canBuild(): boolean;
  build(): boolean;
};

export default function setup(): void {
  if (state.isStale() && !state.build()) throw new Error('The build failed (see above): run `npm run build`.');
}
