#!/usr/bin/env node
// `npm start`: the desktop app where Electron can run, browser mode where it cannot.
// Electron needs its binary (node_modules/electron/dist) and a display. When the binary is
// missing we try once to fetch it (short timeout); if that fails, or there is no display, we
// print ONE line saying why and start browser mode (`refund-recon serve`), which prints the URL.
// Either way the demo workspace opens on first start. Extra arguments go to Electron or serve.

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const state = require('./build-state.cjs');

const root = path.resolve(__dirname, '..');
const electronDir = path.join(root, 'node_modules', 'electron');
const FETCH_TIMEOUT_MS = Number(process.env.REFUND_RECON_ELECTRON_FETCH_TIMEOUT_MS ?? 60_000);
const args = process.argv.slice(2);

function electronBinary() {
  try {
    const relative = fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim();
    const binary = path.join(electronDir, 'dist', relative);
    return relative && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function hasDisplay() {
  if (process.platform === 'win32' || process.platform === 'darwin') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** One attempt at Electron's own installer; returns a short reason on failure. */
function fetchElectron() {
  const installer = path.join(electronDir, 'install.js');
  if (!fs.existsSync(installer)) return 'the electron package is not installed';
  const result = spawnSync(process.execPath, [installer], {
    cwd: electronDir,
    timeout: FETCH_TIMEOUT_MS,
    encoding: 'utf8',
  });
  if (result.error?.code === 'ETIMEDOUT') return `download timed out after ${Math.round(FETCH_TIMEOUT_MS / 1000)} s`;
  if (result.status === 0 && electronBinary()) return null;
  const lines = `${result.stderr ?? ''}`.split('\n').map((l) => l.trim());
  const cause = lines.find((l) =>
    /^(Error|RequestError|HTTPError|TypeError)\b|ENOTFOUND|ECONN|EAI_AGAIN|fetch failed/.test(l),
  );
  return `download failed${cause ? `: ${cause.slice(0, 120)}` : ''}`;
}

/** Builds out/ when a source is newer than the last build (scripts/build-state.cjs). */
function buildIfStale() {
  if (!state.isStale()) return;
  if (!state.build({ verbose: false })) {
    process.stderr.write('npm start: the build failed (see above); run `npm run build` to see why.\n');
    process.exit(1);
  }
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function main() {
  let reason = null;
  const display = hasDisplay();
  if (!display) {
    // Fetching ~100 MB that cannot be shown is pointless: say so and go straight to browser mode.
    reason = `${electronBinary() ? '' : 'no Electron binary and '}no display (DISPLAY and WAYLAND_DISPLAY are unset)`;
  } else if (!electronBinary()) {
    const failure = fetchElectron();
    if (failure) reason = `no Electron binary (${failure})`;
  }
  if (reason === null) {
    buildIfStale();
    run(electronBinary(), ['.', ...args]);
    return;
  }
  process.stdout.write(`Refund Reconciler: ${reason} — starting browser mode instead.\n`);
  buildIfStale();
  run(process.execPath, [path.join(root, 'bin', 'refund-recon.js'), 'serve', ...args]);
}

main();
