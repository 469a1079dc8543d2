#!/usr/bin/env node
// Runs the benchmarks in bench/*.bench.ts (all, or those named on the command line), one after
// another in this process's child so each gets a clean heap and its own peak-RSS figure.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const benchDir = path.join(__dirname, '..', 'bench');
const available = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${available.join(', ')}`);
  process.exit(2);
}
// The benchmarks' harnesses are TypeScript (run through tsx, a development dependency), but the
// code they measure runs built: the CLI they spawn and the workers the core starts come from out/main.
const buildState = require('../scripts/build-state.cjs');
if (buildState.isStale() && !buildState.build()) {
  console.error('The build failed: run `npm run build` to see why.');
  process.exit(1);
}
const env = { ...process.env, REFUND_RECON_OUT_DIR: path.join(__dirname, '..', 'out', 'main') };
let failed = 0;
for (const name of wanted.length > 0 ? wanted : available) {
  console.log(`\n=== bench: ${name} ===`);
  const script = `require('./bench/${name}.bench.ts').run().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`;
  const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', '--expose-gc', '-e', script], {
    cwd: path.join(__dirname, '..'),
    stdio: 'inherit',
    env,
  });
  if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
