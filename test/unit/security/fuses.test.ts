import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import {
  type AfterPackContext,
  flipPackagedFuses,
  fuseConfig,
  fuseWireProblems,
  packagedBinaryPath,
} from '../../../scripts/fuses-hook';
import { FUSE_SETTINGS } from '../../../src/main/security/fuses';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ENABLE = 49;
const DISABLE = 48;

/** A stand-in Electron executable: junk, the fuse sentinel, wire version 1, 9 fuses at Electron's defaults. */
function fakeElectron(file: string): void {
  const defaults = [ENABLE, DISABLE, ENABLE, ENABLE, DISABLE, DISABLE, DISABLE, ENABLE, ENABLE];
  fs.writeFileSync(
    file,
    Buffer.concat([
      Buffer.alloc(4096, 7),
      Buffer.from(SENTINEL),
      Buffer.from([1, defaults.length, ...defaults]),
      Buffer.alloc(64, 7),
    ]),
  );
}

describe('Electron fuses (afterPack hook)', () => {
  it('maps every setting onto an @electron/fuses option', () => {
    const config = fuseConfig() as unknown as Record<string | number, unknown>;
    expect(config.version).toBe('1');
    for (const [name, value] of Object.entries(FUSE_SETTINGS)) {
      expect(config[FuseV1Options[name as keyof typeof FuseV1Options]], name).toBe(value);
    }
    expect(config[FuseV1Options.RunAsNode]).toBe(false);
    expect(config[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(config[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(config[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(config[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(config[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    // Every fuse this @electron/fuses knows is set explicitly.
    const known = Object.values(FuseV1Options).filter((v) => typeof v === 'number');
    for (const index of known) expect(typeof config[index], String(index)).toBe('boolean');
  });

  it('finds the packed executable on each platform', () => {
    const ctx = (platform: string): AfterPackContext => ({
      appOutDir: '/b/out',
      electronPlatformName: platform,
      packager: { appInfo: { productFilename: 'Refund Reconciler' }, executableName: 'refund-reconciler' },
    });
    expect(packagedBinaryPath(ctx('darwin'))).toBe(path.join('/b/out', 'Refund Reconciler.app'));
    expect(packagedBinaryPath(ctx('win32'))).toBe(path.join('/b/out', 'Refund Reconciler.exe'));
    expect(packagedBinaryPath(ctx('linux'))).toBe(path.join('/b/out', 'refund-reconciler'));
  });

  it('flips the fuses in a binary and reads them back (the hook electron-builder runs)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuses-'));
    const binary = path.join(dir, 'refund-reconciler');
    fakeElectron(binary);
    expect(fuseWireProblems((await getCurrentFuseWire(binary)) as never)).toContain(
      'RunAsNode is 49, expected disabled',
    );
    // The CommonJS entry electron-builder loads (package.json build.afterPack).
    const hook = require('../../../scripts/after-pack.cjs') as { default: (c: AfterPackContext) => Promise<void> };
    expect(typeof hook.default).toBe('function');
    await flipPackagedFuses({
      appOutDir: dir,
      electronPlatformName: 'linux',
      packager: { appInfo: { productFilename: 'Refund Reconciler' }, executableName: 'refund-reconciler' },
    });
    const wire = (await getCurrentFuseWire(binary)) as unknown as Record<number, number>;
    expect(fuseWireProblems(wire)).toEqual([]);
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
    expect(wire[8]).toBe(ENABLE); // a fuse newer than @electron/fuses keeps Electron's default
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a build whose fuses did not take is reported', () => {
    const wire: Record<number, number> = {};
    for (const [name, value] of Object.entries(FUSE_SETTINGS)) {
      wire[FuseV1Options[name as keyof typeof FuseV1Options]] = value ? ENABLE : DISABLE;
    }
    expect(fuseWireProblems(wire)).toEqual([]);
    wire[FuseV1Options.EnableNodeCliInspectArguments] = ENABLE;
    expect(fuseWireProblems(wire)).toEqual(['EnableNodeCliInspectArguments is 49, expected disabled']);
  });
});
