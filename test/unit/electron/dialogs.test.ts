import type { IpcMainInvokeEvent, OpenDialogOptions } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { trustedOrigins } from '../../../src/main/electron/app-origin';
import { windowDialogs } from '../../../src/main/electron/dialogs';
import { registerIpc } from '../../../src/main/electron/ipc';
import { PathGrants } from '../../../src/main/security/path-grants';
import { IMPORT_FILTERS, type NativeDialogs } from '../../../src/main/services/dialog-service';
import { openWorkspace } from '../../../src/main/store/open';
import type { Result } from '../../../src/shared/contract';

/** A fake `dialog`: records what it was asked, answers what the test says. */
function fakeDialog(answer: { canceled: boolean; filePaths: string[] }) {
  const calls: Array<{ window: unknown; options: OpenDialogOptions }> = [];
  let release: (() => void) | null = null;
  const dialog = {
    showOpenDialog: (async (window: unknown, options: OpenDialogOptions) => {
      calls.push({ window, options });
      if (release === null && answer.filePaths[0] === 'hold') await new Promise<void>((r) => (release = r));
      return answer;
    }) as never,
  };
  return { dialog, calls, release: () => release?.() };
}

const window = (destroyed = false) => ({ isDestroyed: () => destroyed });

describe('windowDialogs (src/main/electron/dialogs.ts)', () => {
  it('opens one file, parented to the window that asked, with the import filters', async () => {
    const w = window();
    const { dialog, calls } = fakeDialog({ canceled: false, filePaths: ['/home/me/orders.json'] });
    const path = await windowDialogs(dialog, w).openFile({ title: 'Import', filters: IMPORT_FILTERS });
    expect(path).toBe('/home/me/orders.json');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.window).toBe(w);
    expect(calls[0]!.options.filters).toEqual(IMPORT_FILTERS);
    expect(calls[0]!.options.properties).toContain('openFile');
    expect(calls[0]!.options.properties).not.toContain('multiSelections');
    expect(calls[0]!.options.properties).not.toContain('openDirectory');
    expect(calls[0]!.options.defaultPath).toBeUndefined();
  });

  it('chooses one folder', async () => {
    const { dialog, calls } = fakeDialog({ canceled: false, filePaths: ['/home/me/exports'] });
    expect(await windowDialogs(dialog, window()).chooseFolder({ title: 'Export' })).toBe('/home/me/exports');
    expect(calls[0]!.options.properties).toContain('openDirectory');
    expect(calls[0]!.options.properties).not.toContain('openFile');
    expect(calls[0]!.options.properties).not.toContain('multiSelections');
  });

  it('a cancelled or empty answer is null; a destroyed window gets no dialog', async () => {
    expect(
      await windowDialogs(fakeDialog({ canceled: true, filePaths: ['/x'] }).dialog, window()).chooseFolder({
        title: 't',
      }),
    ).toBeNull();
    expect(
      await windowDialogs(fakeDialog({ canceled: false, filePaths: [] }).dialog, window()).openFile({
        title: 't',
        filters: [],
      }),
    ).toBeNull();
    const gone = fakeDialog({ canceled: false, filePaths: ['/x'] });
    expect(await windowDialogs(gone.dialog, window(true)).openFile({ title: 't', filters: [] })).toBeNull();
    expect(gone.calls).toHaveLength(0);
  });

  it('one dialog at a time per window', async () => {
    const w = window();
    const held = fakeDialog({ canceled: false, filePaths: ['hold'] });
    const first = windowDialogs(held.dialog, w).openFile({ title: 't', filters: [] });
    await expect(windowDialogs(held.dialog, w).chooseFolder({ title: 't' })).rejects.toMatchObject({
      code: 'dialog_busy',
    });
    // Another window may have its own.
    const other = fakeDialog({ canceled: true, filePaths: [] });
    expect(await windowDialogs(other.dialog, window()).chooseFolder({ title: 't' })).toBeNull();
    held.release();
    expect(await first).toBe('hold');
    expect(await windowDialogs(other.dialog, w).chooseFolder({ title: 't' })).toBeNull();
  });
});

describe('IPC wrapper: dialogs belong to the window that asked', () => {
  const db = openWorkspace(':memory:');
  afterAll(() => db.close());
  const ctx: AppContext = {
    db,
    workspacePath: ':memory:',
    isDemo: false,
    appVersion: 't',
    emit: () => {},
    pathGrants: new PathGrants(),
  };
  type Handler = (event: IpcMainInvokeEvent, payload: unknown) => unknown;
  const handlers = new Map<string, Handler>();
  const askedBy: number[] = [];
  registerIpc({
    ipcMain: { handle: (c: string, h: Handler) => handlers.set(c, h), removeHandler: () => {} } as never,
    context: () => ctx,
    origins: trustedOrigins(),
    isOurWebContents: (id) => id === 1 || id === 2,
    dialogsFor: (id): NativeDialogs => ({
      openFile: async () => {
        askedBy.push(id);
        return null;
      },
      chooseFolder: async () => {
        askedBy.push(id);
        return null;
      },
    }),
  });
  const event = (id: number, url = 'app://renderer/index.html') =>
    ({ sender: { id }, senderFrame: { url, parent: null } }) as unknown as IpcMainInvokeEvent;

  it('passes the sender to dialogsFor, refuses foreign senders before any dialog', async () => {
    expect(await handlers.get('dialog:open-file')!(event(2), {})).toEqual({ ok: true, value: { path: null } });
    expect(await handlers.get('dialog:choose-folder')!(event(1), {})).toEqual({ ok: true, value: { path: null } });
    const refused = (await handlers.get('dialog:open-file')!(event(1, 'https://evil.example/'), {})) as Result<unknown>;
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handlers.get('dialog:open-file')!(event(3), {})).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(askedBy).toEqual([2, 1]);
    // The shared context is not changed by a call.
    expect(ctx.dialogs).toBeUndefined();
  });

  it('the renderer cannot pass dialog options', async () => {
    for (const payload of [
      { defaultPath: '/etc' },
      { filters: [] },
      { properties: ['multiSelections'] },
      { title: 'x' },
    ]) {
      expect(await handlers.get('dialog:open-file')!(event(1), payload)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
      expect(await handlers.get('dialog:choose-folder')!(event(1), payload)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    }
  });
});
