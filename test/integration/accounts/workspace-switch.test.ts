import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { MemorySecretStore, setSecretStore } from '../../../src/main/secrets';
import { openAppWorkspace } from '../../../src/main/workspace/open-app-workspace';
import { readAppSettings } from '../../../src/main/workspace/settings-file';

/** Issue 13 item 3 (workspaces) and item 4's rule that a secret never comes back to the screen. */

let dir: string;
let ctx: AppContext;
const events: { event: string; payload: unknown }[] = [];
const home = process.env.REFUND_RECON_HOME;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-switch-'));
  process.env.REFUND_RECON_HOME = path.join(dir, 'home');
  setSecretStore(new MemorySecretStore());
  setLoopbackApisAllowed(true);
  ctx = await openAppWorkspace({ appVersion: 'test', emit: (event, payload) => events.push({ event, payload }) });
}, 120_000);
afterAll(() => {
  ctx?.db.close();
  setLoopbackApisAllowed(undefined);
  if (home === undefined) delete process.env.REFUND_RECON_HOME;
  else process.env.REFUND_RECON_HOME = home;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function call<T>(
  channel: string,
  input: unknown = {},
): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
  return (await dispatch(channel, input, ctx)) as never;
}

describe('workspaces: create, switch, recent list, demo labelled', () => {
  it('starts on the demo, creates a new empty workspace and switches the context to it', async () => {
    expect(ctx.isDemo).toBe(true);
    const demoDb = ctx.db;
    const file = path.join(dir, 'books.sqlite');
    const created = await call<{ path: string; isDemo: boolean }>('workspace:create', { path: file });
    expect(created).toEqual({ ok: true, value: { path: file, isDemo: false } });
    expect(ctx.workspacePath).toBe(file);
    expect(demoDb.open).toBe(false);
    expect(events.at(-1)).toEqual({ event: 'workspace:changed', payload: { path: file, isDemo: false } });
    // Every later call reads the new workspace: no accounts, no snapshots (the demo's are not here).
    expect(await call('account:entries')).toEqual({ ok: true, value: [] });
    expect(await call('snapshot:list', {})).toEqual({ ok: true, value: [] });
    expect(readAppSettings().lastWorkspace).toBe(file);

    const recent = await call<{ path: string; name: string; isDemo: boolean; current: boolean }[]>('workspace:recent');
    expect(recent.ok && recent.value.map((w) => [w.name, w.isDemo, w.current])).toEqual([
      ['books', false, true],
      ['Demo workspace (sample data)', true, false],
    ]);
  });

  it('refuses bad paths and keeps the open workspace', async () => {
    const before = ctx.workspacePath;
    for (const bad of [
      'relative.sqlite',
      path.join(dir, 'missing-folder', 'x.sqlite'),
      path.join(dir, 'not-a-workspace.txt'),
    ]) {
      const result = await call('workspace:create', { path: bad });
      expect(result.ok).toBe(false);
    }
    expect((await call('workspace:open', { path: path.join(dir, 'nope.sqlite') })).ok).toBe(false);
    expect((await call('workspace:create', { path: before })).ok).toBe(false); // never overwrites
    fs.writeFileSync(path.join(dir, 'garbage.sqlite'), 'not a database');
    const garbage = await call('workspace:open', { path: path.join(dir, 'garbage.sqlite') });
    expect(garbage.ok).toBe(false);
    expect(ctx.workspacePath).toBe(before);
    expect(ctx.db.open).toBe(true);
  });

  it('a stored secret comes back as "set", never as its value', async () => {
    await call('account:add', { type: 'netsuite', name: 'NS', accountId: '1234567_SB1' });
    const secret = 'PLANTED-token-secret-9f8e7d';
    const set = await call('connection:set', {
      type: 'netsuite',
      id: 1,
      secrets: { consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'ti', tokenSecret: secret },
    });
    expect(set.ok).toBe(true);
    const got = await call<{ secrets: { field: string; set: boolean }[] }>('connection:get', {
      type: 'netsuite',
      id: 1,
    });
    expect(JSON.stringify(got)).not.toContain(secret);
    expect(got.ok && got.value.secrets.every((s) => s.set)).toBe(true);
    const audit = await call<unknown[]>('audit:list', {});
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(fs.readFileSync(ctx.workspacePath).includes(Buffer.from(secret))).toBe(false);
  });

  it('switches back to the demo, labelled as the demo', async () => {
    const recent = await call<{ path: string; isDemo: boolean }[]>('workspace:recent');
    const demo = recent.ok ? recent.value.find((w) => w.isDemo)! : undefined;
    const opened = await call('workspace:open', { path: demo!.path });
    expect(opened).toEqual({ ok: true, value: { path: demo!.path, isDemo: true } });
    const info = await call<{ isDemo: boolean }>('workspace:info');
    expect(info.ok && info.value.isDemo).toBe(true);
    // The demo store has no shop address yet: its connection says what it needs instead of failing.
    const connection = await call<{ needs: string | null; host: string }>('connection:get', {
      type: 'storefront',
      id: 1,
    });
    expect(connection.ok && connection.value.needs).toMatch(/has no shop address/);
  });
});
