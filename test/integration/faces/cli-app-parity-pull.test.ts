import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { MemorySecretStore, setSecretStore } from '../../../src/main/secrets';
import { envNameOf } from '../../../src/main/secrets/secret-store';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { generateNetsuiteData } from '../../emulators/netsuite/dataset';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';
import { runCli } from '../../support/run-cli';

/**
 * Issue 12, the `pull netsuite` pair: the built CLI (spawned, secrets from the environment) and the
 * app's `connection:pull` channel (a pull job on a worker, secrets from the app's store) pull the same
 * emulated NetSuite account into two new workspaces; both snapshots hold the same refunds.
 */

const data = generateNetsuiteData({ refunds: 40, seed: 5 });
let emu: NetsuiteEmulator;
let dir: string;

beforeAll(async () => {
  setLoopbackApisAllowed(true);
  emu = await startNetsuiteEmulator({ data });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-parity-pull-'));
});
afterAll(async () => {
  setLoopbackApisAllowed(undefined);
  setSecretStore(new MemorySecretStore());
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const SECRETS: Record<string, string> = {
  'netsuite.consumerKey': DEFAULT_TBA.consumerKey,
  'netsuite.consumerSecret': DEFAULT_TBA.consumerSecret,
  'netsuite.tokenId': DEFAULT_TBA.token,
  'netsuite.tokenSecret': DEFAULT_TBA.tokenSecret,
};

describe('pull: the CLI and the app give the same snapshot', { timeout: 120_000 }, () => {
  it('refund-recon pull netsuite and connection:pull', async () => {
    const cliWorkspace = path.join(dir, 'cli.sqlite');
    const env: NodeJS.ProcessEnv = {
      NO_COLOR: '1',
      REFUND_RECON_SECRETS_FILE: path.join(dir, 'none.json'),
      REFUND_RECON_ALLOW_LOOPBACK_APIS: '1',
    };
    for (const [name, value] of Object.entries(SECRETS)) env[envNameOf(name)] = value;
    // runCli spawns asynchronously: the emulator answers from this process's event loop.
    const run = await runCli(
      ['pull', 'netsuite', '--account', emu.accountId, '--host', emu.url, '--workspace', cliWorkspace, '--json'],
      env,
    );
    expect(run.status, run.stderr).toBe(0);
    const cliOut = JSON.parse(run.stdout) as { snapshotId: number; refunds: number };

    const store = new MemorySecretStore();
    for (const [name, value] of Object.entries(SECRETS)) await store.set(name, value);
    setSecretStore(store);
    const appWorkspace = path.join(dir, 'app.sqlite');
    const ctx: AppContext = {
      db: openWorkspace(appWorkspace),
      workspacePath: appWorkspace,
      isDemo: false,
      appVersion: 'test',
      emit: () => {},
    };
    const cliDb = openWorkspace(cliWorkspace);
    try {
      const result = await dispatch(
        'connection:pull',
        { platform: 'netsuite', accountId: emu.accountId, host: emu.url },
        ctx,
      );
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      const appOut = result.value as { snapshotId: number; refunds: number };
      expect(appOut.refunds).toBe(cliOut.refunds);
      expect(appOut.refunds).toBe(40);
      expect(readSnapshotRefunds(ctx.db, appOut.snapshotId)).toEqual(readSnapshotRefunds(cliDb, cliOut.snapshotId));
    } finally {
      cliDb.close();
      ctx.db.close();
    }
  });
});
