import type { IpcMainInvokeEvent } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { trustedOrigins } from '../../../src/main/electron/app-origin';
import { registerIpc } from '../../../src/main/electron/ipc';
import { createStorefrontAccount } from '../../../src/main/store/accounts';
import { openWorkspace } from '../../../src/main/store/open';
import { CHANNEL_NAMES, type Result } from '../../../src/shared/contract';

type Handler = (event: IpcMainInvokeEvent, payload: unknown) => unknown;

const db = openWorkspace(':memory:');
createStorefrontAccount(db, { platform: 'shopify', name: 'Shop', lineItemRefunds: 'yes', directions: [] });
const ctx: AppContext = { db, workspacePath: ':memory:', isDemo: false, appVersion: 't', emit: () => {} };
afterAll(() => db.close());

const handlers = new Map<string, Handler>();
const removed: string[] = [];
const unregister = registerIpc({
  ipcMain: {
    handle: (channel: string, handler: Handler) => {
      handlers.set(channel, handler);
    },
    removeHandler: (channel: string) => {
      removed.push(channel);
    },
  },
  context: () => ctx,
  origins: trustedOrigins(),
  isOurWebContents: (id) => id === 1,
});

function fakeEvent(options: { url?: string | null; mainFrame?: boolean; webContentsId?: number } = {}) {
  const url = options.url === undefined ? 'app://renderer/index.html' : options.url;
  const parent = options.mainFrame === false ? {} : null;
  return {
    sender: { id: options.webContentsId ?? 1 },
    senderFrame: url === null ? null : { url, parent },
  } as unknown as IpcMainInvokeEvent;
}

async function invoke(channel: string, payload: unknown, event = fakeEvent()): Promise<Result<unknown>> {
  const handler = handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return (await handler(event, payload)) as Result<unknown>;
}

describe('IPC registration wrapper', () => {
  it('registers exactly the contract channels', () => {
    expect([...handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('dispatches a trusted call', async () => {
    const result = await invoke('account:list', {});
    expect(result.ok).toBe(true);
  });

  it('rejects foreign origins, sub-frames, destroyed frames and other webContents before dispatch', async () => {
    for (const event of [
      fakeEvent({ url: 'https://evil.example/' }),
      fakeEvent({ url: 'file:///tmp/x.html' }),
      fakeEvent({ mainFrame: false }),
      fakeEvent({ url: null }),
      fakeEvent({ webContentsId: 2 }),
    ]) {
      const result = await invoke('account:list', {}, event);
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('turns invalid payloads into validation errors, never throws', async () => {
    for (const payload of [undefined, null, 42, 'x', [], { side: 'moon' }, { extra: true }]) {
      const result = await invoke('snapshot:list', payload);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
  });

  it('removes its handlers', () => {
    unregister();
    expect(removed.sort()).toEqual([...CHANNEL_NAMES].sort());
  });
});
