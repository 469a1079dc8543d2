import path from 'node:path';
import { type FuseConfig, FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { FUSE_SETTINGS, type FuseName } from '../src/main/security/fuses';

/**
 * electron-builder afterPack: flip the Electron fuses of the packed binary (before signing, so
 * the signature covers the flipped binary). The values live in src/main/security/fuses.ts.
 */

/** The @electron/fuses config for FUSE_SETTINGS; every fuse @electron/fuses knows is set explicitly. */
export function fuseConfig(): FuseConfig {
  const config: Record<number, boolean> = {};
  for (const [name, value] of Object.entries(FUSE_SETTINGS) as [FuseName, boolean][]) {
    const index = FuseV1Options[name];
    if (typeof index !== 'number') throw new Error(`@electron/fuses does not know the fuse ${name}`);
    config[index] = value;
  }
  // Newer Electron binaries may carry fuses this @electron/fuses version does not name; they keep
  // Electron's default rather than failing the build (strictlyRequireAllFuses: false).
  return { version: FuseVersion.V1, resetAdHocDarwinSignature: true, ...config } as FuseConfig;
}

export interface AfterPackContext {
  appOutDir: string;
  electronPlatformName: string;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}

/** Where electron-builder put the Electron executable for this platform. */
export function packagedBinaryPath(context: AfterPackContext): string {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(context.appOutDir, `${name}.app`);
    case 'win32':
      return path.join(context.appOutDir, `${name}.exe`);
    default:
      return path.join(context.appOutDir, context.packager.executableName ?? name);
  }
}

/** @electron/fuses FuseState values (bytes in the fuse wire). */
const ENABLED = 49;
const DISABLED = 48;
const REMOVED = 114;

/** Fuses whose state in a read-back wire is not what FUSE_SETTINGS asks for (removed fuses are skipped). */
export function fuseWireProblems(wire: Record<number, number | string>): string[] {
  const problems: string[] = [];
  for (const [name, wanted] of Object.entries(FUSE_SETTINGS) as [FuseName, boolean][]) {
    const state = Number(wire[FuseV1Options[name]]);
    if (state === REMOVED) continue;
    if (state !== (wanted ? ENABLED : DISABLED)) {
      problems.push(
        `${name} is ${Number.isNaN(state) ? 'missing' : state}, expected ${wanted ? 'enabled' : 'disabled'}`,
      );
    }
  }
  return problems;
}

export async function flipPackagedFuses(context: AfterPackContext): Promise<void> {
  const binary = packagedBinaryPath(context);
  await flipFuses(binary, fuseConfig());
  // Read the wire back: a fuse that did not take fails the build rather than shipping silently.
  const problems = fuseWireProblems((await getCurrentFuseWire(binary)) as unknown as Record<number, number>);
  if (problems.length > 0) throw new Error(`Electron fuses not set in ${binary}: ${problems.join('; ')}`);
  console.log(`fuses set in ${binary}: ${JSON.stringify(FUSE_SETTINGS)}`);
}
