#!/usr/bin/env node
// Runs the built CLI (out/main/cli.js, from the electron-vite main build). `npm ci` builds it (the
// `prepare` script); when a source file is newer than the build (a developer edited src/), it is
// rebuilt here first (~2 s, output on stderr only if it fails). Under the tests
// (REFUND_RECON_OUT_DIR set) the test setup has built already: no check, no build racing the
// other test processes.
const state = require('../scripts/build-state.cjs');

if (!process.env.REFUND_RECON_OUT_DIR && state.isStale() && state.canBuild() && !state.build()) {
  process.stderr.write('refund-recon: the build failed (see above); run `npm run build` to see why.\n');
  process.exit(70);
}
require('../out/main/cli.js').main(process.argv);
