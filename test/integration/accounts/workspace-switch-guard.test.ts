import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { MemorySecretStore, setSecretStore } from '../../../src/main/secrets';
import { openAppWorkspace } from '../../../src/main/workspace/open-app-workspace';

/**
 * Issue 13: switching workspace while a pull (or compare, import, push…) runs is refused with a
 * clear message; once the job is cancelled the switch goes through. The pull here waits on a
 * NetSuite host that holds its answer until the test lets it go (real HTTP on loopback).
 */

let dir: string;
let ctx: AppContext;
let server: http.Server;
const held: http.ServerResponse[] = [];
const home = process.env.REFUND_RECON_HOME;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-switch-guard-'));
  process.env.REFUND_RECON_HOME = path.join(dir, 'home');
  setSecretStore(new MemorySecretStore());
  setLoopbackApisAllowed(true);
  server = http.createServer((_req, res) => held.push(res)); // never answers by itself
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  ctx = await openAppWorkspace({ appVersion: 'test', emit: () => {} });
}, 120_000);
afterAll(async () => {
  for (const res of held) res.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  ctx?.db.close();
  setLoopbackApisAllowed(undefined);
  if (home === undefined) delete process.env.REFUND_RECON_HOME;
  else process.env.REFUND_RECON_HOME = home;
  fs.rmSync(dir, { recursive: true, force: true });
});

const call = (channel: string, input: unknown = {}, signal?: AbortSignal) =>
  dispatch(channel, input, ctx, signal) as Promise<
    { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }
  >;

describe('switching workspace under a running job', () => {
  it('is refused while a pull runs, naming it; allowed again once the pull is cancelled', async () => {
    const books = path.join(dir, 'books.sqlite');
    expect(await call('workspace:create', { path: books })).toMatchObject({ ok: true });
    const added = (await call('account:add', { type: 'netsuite', name: 'NS', accountId: '1234567_SB1' })) as {
      ok: true;
      value: { id: number };
    };
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const set = await call('connection:set', {
      type: 'netsuite',
      id: added.value.id,
      host: url,
      authMethod: 'tba',
      secrets: { consumerKey: 'k', consumerSecret: 's', tokenId: 't', tokenSecret: 'x' },
    });
    expect(set).toMatchObject({ ok: true });

    const abort = new AbortController();
    const pull = call('connection:pull-account', { type: 'netsuite', id: added.value.id }, abort.signal);
    await expect.poll(() => held.length, { timeout: 10_000 }).toBeGreaterThan(0); // the pull is waiting on NetSuite

    const other = path.join(dir, 'other.sqlite');
    const refused = await call('workspace:create', { path: other });
    expect(refused).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'job_running',
        message:
          'A pull is still running in this workspace. Wait for it to finish, or cancel it, then open the other workspace.',
      }),
    });
    expect(fs.existsSync(other)).toBe(false); // nothing written
    expect(ctx.workspacePath).toBe(books);

    abort.abort();
    expect(await pull).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'cancelled', message: 'The pull was cancelled; no snapshot was saved.' }),
    });
    expect(await call('workspace:create', { path: other })).toMatchObject({ ok: true, value: { path: other } });
    expect(ctx.workspacePath).toBe(other);
  });
});
