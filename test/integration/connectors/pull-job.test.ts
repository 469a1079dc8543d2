import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { MemorySecretStore, setSecretStore } from '../../../src/main/secrets';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { CanonicalRefund } from '../../../src/shared/model';
import { generateNetsuiteData } from '../../emulators/netsuite/dataset';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';

const data = generateNetsuiteData({ refunds: 30, seed: 21 });
let emu: NetsuiteEmulator;
let dir: string;

// The emulators listen on 127.0.0.1: loopback API destinations are allowed in this process, as
// REFUND_RECON_ALLOW_LOOPBACK_APIS=1 does for a process started with it (CLI children get the variable).
beforeAll(() => setLoopbackApisAllowed(true));
afterAll(() => setLoopbackApisAllowed(undefined));

beforeAll(async () => {
  emu = await startNetsuiteEmulator({ data });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-pulljob-'));
  const store = new MemorySecretStore();
  await store.set('netsuite.consumerKey', DEFAULT_TBA.consumerKey);
  await store.set('netsuite.consumerSecret', DEFAULT_TBA.consumerSecret);
  await store.set('netsuite.tokenId', DEFAULT_TBA.token);
  await store.set('netsuite.tokenSecret', DEFAULT_TBA.tokenSecret);
  setSecretStore(store);
});
afterAll(async () => {
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('connection:pull', () => {
  it('runs the pull job in a worker with progress events and makes a snapshot', async () => {
    const file = path.join(dir, 'ws.sqlite');
    const db = openWorkspace(file);
    const events: unknown[] = [];
    const ctx: AppContext = {
      db,
      workspacePath: file,
      isDemo: false,
      appVersion: 'test',
      emit: (_e, payload) => events.push(payload),
    };
    const result = await dispatch(
      'connection:pull',
      { platform: 'netsuite', accountId: emu.accountId, host: emu.url },
      ctx,
    );
    expect(result.ok).toBe(true);
    const value = (result as { value: { snapshotId: number; refunds: number } }).value;
    expect(value.refunds).toBe(30);
    expect(readSnapshotRefunds(db, value.snapshotId)).toEqual(data.expected.map((r) => CanonicalRefund.parse(r)));
    expect(events.length).toBeGreaterThan(0);
    db.close();
  }, 30_000);

  it('says which secret is missing', async () => {
    setSecretStore(new MemorySecretStore());
    const db = openWorkspace(':memory:');
    const ctx: AppContext = { db, workspacePath: ':memory:', isDemo: false, appVersion: 't', emit: () => {} };
    const result = await dispatch('connection:pull', { platform: 'netsuite', accountId: '123456' }, ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'missing_secret' } });
    expect((result as { error: { message: string } }).error.message).toMatch(
      /REFUND_RECON_NETSUITE_123456_CONSUMERKEY/,
    );
  });
});
