// Is out/ (the electron-vite build) older than the sources it is built from? And build it.
// `node scripts/build-state.cjs` builds (npm run build). Used by bin/refund-recon.js (rebuild on first run or after an edit), `npm start`, and the test
// setup (test/support/build-once.ts), so every face runs the same built JavaScript.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
/** Written last by build(): its mtime is the time of the last complete build. */
const STAMP = path.join(root, 'out', '.build-stamp');
const INPUTS = ['src', 'electron.vite.config.ts', 'package.json', 'tsconfig.node.json', 'tsconfig.base.json'];

function newestMtime(file) {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, entry)));
  return newest;
}

/** True when there is no complete build or a source is newer than it. */
function isStale() {
  const built = fs.statSync(STAMP, { throwIfNoEntry: false });
  if (!built) return true;
  // A copy without sources (packaged) is never stale.
  if (!fs.existsSync(path.join(root, 'src'))) return false;
  return INPUTS.some((input) => newestMtime(path.join(root, input)) > built.mtimeMs);
}

/** Can this copy build (electron-vite is a development dependency)? */
function canBuild() {
  return fs.existsSync(path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'));
}

/**
 * Runs `electron-vite build`. Its output is kept off stdout (the CLI's stdout is its result) and
 * shown on stderr only when the build fails. Returns true on success.
 */
function build({ verbose = false } = {}) {
  const cli = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const started = Date.now();
  const result = spawnSync(process.execPath, [cli, 'build'], {
    cwd: root,
    encoding: 'utf8',
    stdio: verbose ? 'inherit' : 'pipe',
  });
  if (result.status !== 0) {
    if (!verbose) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    return false;
  }
  // Sources edited during the build make the stamp older than them: the next run builds again.
  fs.writeFileSync(STAMP, `${new Date(started).toISOString()}\n`);
  fs.utimesSync(STAMP, new Date(started), new Date(started));
  return true;
}

module.exports = { root, isStale, canBuild, build };

// `npm run build` (and `prepare`, which npm runs after `npm ci`): build and stamp.
if (require.main === module) process.exit(build({ verbose: true }) ? 0 : 1);
