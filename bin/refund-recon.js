#!/usr/bin/env node
// Runs the TypeScript CLI straight from src/ through tsx, so `npx refund-recon` works right after
// `npm ci` with no build step. The packaged app ships the bundled CLI instead.
require('tsx/cjs/api').register();
require('../src/main/cli/main.ts').main(process.argv);
