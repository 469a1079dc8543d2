import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import { generateImportData } from '../../../bench/gen-import-data';
import type { AppContext } from '../../../src/main/context';
import { trustedOrigins } from '../../../src/main/electron/app-origin';
import { registerIpc } from '../../../src/main/electron/ipc';
import { openWorkspace } from '../../../src/main/store/open';
import type { Result } from '../../../src/shared/contract';

type Handler = (event: IpcMainInvokeEvent, payload: unknown, callId?: unknown) => unknown;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-ipc-cancel-'));
const workspacePath = path.join(dir, 'w.sqlite');
const db = openWorkspace(workspacePath);
const ctx: AppContext = { db, workspacePath, isDemo: false, appVersion: 't', emit: () => {} };
// A file big enough that its import is still running when the cancel arrives.
const files = generateImportData(20_000, dir);
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const handlers = new Map<string, Handler>();
registerIpc({
  ipcMain: {
    handle: (channel: string, handler: Handler) => {
      handlers.set(channel, handler);
    },
    removeHandler: () => {},
  },
  context: () => ctx,
  origins: trustedOrigins(),
  isOurWebContents: (id) => id === 1 || id === 2,
});

const event = (webContentsId: number) =>
  ({
    sender: { id: webContentsId },
    senderFrame: { url: 'app://renderer/index.html', parent: null },
  }) as unknown as IpcMainInvokeEvent;

const invoke = (channel: string, payload: unknown, webContentsId = 1, callId?: string) =>
  handlers.get(channel)!(event(webContentsId), payload, callId) as Promise<Result<unknown>>;

const snapshots = () => (db.prepare('SELECT count(*) AS n FROM snapshots').get() as { n: number }).n;

describe('cancelling a long call in the desktop app (call:cancel)', () => {
  it('another window cannot cancel it; the same window can, and nothing is saved', async () => {
    const running = invoke('snapshot:import', { path: files.shopify, side: 'storefront' }, 1, 'import-call-0001');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await invoke('call:cancel', { callId: 'import-call-0001' }, 2)).toEqual({
      ok: true,
      value: { cancelled: false },
    });
    expect(await invoke('call:cancel', { callId: 'import-call-0001' }, 1)).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    const result = await running;
    expect(result).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(snapshots()).toBe(0);
  });

  it('a call id of the wrong form is ignored (the call still runs), and an unknown id cancels nothing', async () => {
    expect(await invoke('call:cancel', { callId: 'nope' }, 1)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await invoke('call:cancel', { callId: 'unknown-call-id' }, 1)).toEqual({
      ok: true,
      value: { cancelled: false },
    });
    const result = await invoke('snapshot:list', {}, 1, '../../etc');
    expect(result.ok).toBe(true);
  });
});
