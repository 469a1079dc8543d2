import type { OpenDialogOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { windowDialogs } from '../../../src/main/electron/dialogs';
import { IMPORT_FILTERS, openFileDialogOptions, WORKSPACE_FILTERS } from '../../../src/main/services/dialog-service';
import { DialogAnswer, dialogChannels } from '../../../src/shared/contract/dialog';

/** Issue 13 (desktop): opening a workspace offers workspace files, not the import formats. */
describe('open-file dialog options by purpose', () => {
  it('a workspace: .sqlite first (with .sqlite3/.db), then all files; never the import formats', () => {
    const options = openFileDialogOptions({ purpose: 'workspace' });
    expect(options.title).toBe('Open a workspace');
    expect(options.filters[0]).toEqual({
      name: 'Refund Reconciler workspaces (.sqlite)',
      extensions: ['sqlite', 'sqlite3', 'db'],
    });
    expect(options.filters.at(-1)).toEqual({ name: 'All files', extensions: ['*'] });
    expect(options.filters.flatMap((f) => f.extensions)).not.toContain('csv');
    expect(options.filters).toBe(WORKSPACE_FILTERS);
  });

  it('an import (the default) keeps the import formats and names the side', () => {
    expect(openFileDialogOptions({})).toEqual({ title: 'Import an export file', filters: IMPORT_FILTERS });
    expect(openFileDialogOptions({ side: 'netsuite', purpose: 'import' })).toEqual({
      title: 'Import a NetSuite export file',
      filters: IMPORT_FILTERS,
    });
    expect(IMPORT_FILTERS.flatMap((f) => f.extensions)).not.toContain('sqlite');
  });

  it('the contract accepts purpose "workspace" and refuses anything else', () => {
    const input = dialogChannels['dialog:open-file'].input;
    expect(input.safeParse({ purpose: 'workspace' }).success).toBe(true);
    expect(input.safeParse({ purpose: 'anything' }).success).toBe(false);
    expect(DialogAnswer.safeParse({ path: null }).success).toBe(true);
  });

  it('reaches Electron as given: one .sqlite file, parented to the window', async () => {
    const calls: OpenDialogOptions[] = [];
    const dialog = {
      showOpenDialog: (async (_w: unknown, options: OpenDialogOptions) => {
        calls.push(options);
        return { canceled: false, filePaths: ['/home/me/books.sqlite'] };
      }) as never,
    };
    const chosen = await windowDialogs(dialog, { isDestroyed: () => false }).openFile(
      openFileDialogOptions({ purpose: 'workspace' }),
    );
    expect(chosen).toBe('/home/me/books.sqlite');
    expect(calls[0]!.filters).toEqual(WORKSPACE_FILTERS);
    expect(calls[0]!.properties).toContain('openFile');
    expect(calls[0]!.properties).not.toContain('multiSelections');
  });
});
