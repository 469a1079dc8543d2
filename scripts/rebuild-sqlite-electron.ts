import fs from 'node:fs';
import path from 'node:path';
import { rebuild } from '@electron/rebuild';

/**
 * `npm run rebuild:electron-sqlite` (part of `npm run dist`): builds better-sqlite3 for the
 * Electron ABI in a scratch copy (out/native-build/) and puts the addon at
 * out/native/better_sqlite3.node, which electron-builder ships as resources/native/ (outside
 * the asar). node_modules/better-sqlite3 keeps its Node build, so `npm test` and the CLI are
 * unaffected; the packaged app points better-sqlite3 at the Electron build through
 * REFUND_RECON_SQLITE_BINDING (src/main/index.ts → src/main/store/open.ts `nativeBinding`).
 *
 * Needs the Electron headers (downloaded by @electron/rebuild from Electron's servers) or a
 * better-sqlite3 prebuild for that Electron version, and a C++ toolchain: run it on the build
 * machine of each target OS. Options: --arch <x64|arm64>; ELECTRON_REBUILD_HEADER_URL for a mirror.
 */
const root = path.resolve(__dirname, '..');
const source = path.join(root, 'node_modules', 'better-sqlite3');
const scratch = path.join(root, 'out', 'native-build');
const target = path.join(root, 'out', 'native', 'better_sqlite3.node');

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** A V8-API addon exports `node_register_module_v<ABI>`: the proof it was built for that runtime. */
export function hasModuleVersion(file: string, abi: string): boolean {
  return fs.readFileSync(file).includes(Buffer.from(`node_register_module_v${abi}\0`));
}

async function main(): Promise<void> {
  const electronVersion = (
    JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const sqlite = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')) as { version: string };
  const arch = argValue('--arch') ?? process.arch;

  fs.rmSync(scratch, { recursive: true, force: true });
  const copy = path.join(scratch, 'node_modules', 'better-sqlite3');
  fs.mkdirSync(copy, { recursive: true });
  for (const entry of ['package.json', 'binding.gyp', 'lib', 'src', 'deps']) {
    fs.cpSync(path.join(source, entry), path.join(copy, entry), { recursive: true });
  }
  fs.writeFileSync(
    path.join(scratch, 'package.json'),
    `${JSON.stringify({ name: 'native-build', private: true, dependencies: { 'better-sqlite3': sqlite.version } }, null, 2)}\n`,
  );

  // An npmrc `nodedir` (Debian sets /usr) would make node-gyp compile against the local Node's
  // headers while labelling the result for Electron: a silently wrong ABI. Use Electron's headers.
  for (const key of Object.keys(process.env)) if (key.toLowerCase() === 'npm_config_nodedir') delete process.env[key];
  const { getAbi } = require('node-abi') as { getAbi(target: string, runtime: string): string };
  const abi = getAbi(electronVersion, 'electron');

  console.log(
    `building better-sqlite3 ${sqlite.version} for Electron ${electronVersion} (${process.platform}-${arch})…`,
  );
  await rebuild({
    buildPath: scratch,
    electronVersion,
    arch,
    onlyModules: ['better-sqlite3'],
    force: true,
    buildFromSource: true,
    mode: 'sequential',
    ...(process.env.ELECTRON_REBUILD_HEADER_URL ? { headerURL: process.env.ELECTRON_REBUILD_HEADER_URL } : {}),
  });

  const built = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
  if (!fs.existsSync(built)) throw new Error(`the rebuild did not produce ${built}`);
  if (!hasModuleVersion(built, abi)) {
    throw new Error(`${built} is not built for Electron ${electronVersion} (NODE_MODULE_VERSION ${abi})`);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(built, target);
  console.log(
    `wrote ${path.relative(root, target)} (Electron ${electronVersion} ABI); node_modules keeps the Node build`,
  );
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(
      `Could not build better-sqlite3 for Electron: ${error instanceof Error ? error.message : String(error)}\n` +
        'This step needs the Electron headers (network access to Electron’s download server or ELECTRON_REBUILD_HEADER_URL) and a C++ toolchain; see docs/packaging.md.',
    );
    process.exit(1);
  });
