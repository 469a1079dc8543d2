import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { PathGrants } from '../../../src/main/security/path-grants';
import type { NativeDialogs } from '../../../src/main/services/dialog-service';
import type { Result } from '../../../src/shared/contract';
import { type SeededWorkspace, seededWorkspace } from './helpers';

/**
 * Known weakness 2, through the contract (dispatch, as IPC calls it): with `pathGrants` on the
 * context (the desktop app), snapshot:import, snapshot:detect-format and report:export use only
 * paths the user chose in a native dialog, and ui:list-folder is refused; without it (browser mode,
 * CLI) they behave as before. The dialog channels grant what the (fake) dialog answered.
 */
let ws: SeededWorkspace;
let dir: string;
let chosenFile: string;
let otherFile: string;
let chosenFolder: string;
let otherFolder: string;
let runId: number;

beforeAll(async () => {
  ws = await seededWorkspace();
  runId = (ws.ctx.db.prepare('SELECT max(id) AS id FROM comparison_runs').get() as { id: number }).id;
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rr-grants-svc-')));
  for (const d of ['in', 'secret', 'out', 'elsewhere']) fs.mkdirSync(path.join(dir, d));
  chosenFile = path.join(dir, 'in', 'shopify-orders.json');
  otherFile = path.join(dir, 'secret', 'shopify-orders.json');
  fs.copyFileSync(path.resolve('resources/demo/shopify-orders.json'), chosenFile);
  fs.copyFileSync(path.resolve('resources/demo/shopify-orders.json'), otherFile);
  chosenFolder = path.join(dir, 'out');
  otherFolder = path.join(dir, 'elsewhere');
}, 60_000);
afterAll(() => {
  ws?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function desktop(answers: { file?: string | null; folder?: string | null } = {}) {
  const asked: string[] = [];
  const dialogs: NativeDialogs = {
    openFile: async (o) => {
      asked.push(`file:${o.title}`);
      return answers.file ?? null;
    },
    chooseFolder: async (o) => {
      asked.push(`folder:${o.title}`);
      return answers.folder ?? null;
    },
  };
  const ctx: AppContext = { ...ws.ctx, pathGrants: new PathGrants(), dialogs };
  return { ctx, asked };
}

const call = (channel: string, payload: unknown, ctx: AppContext) => dispatch(channel, payload, ctx);
const exportTo = (folder: string, ctx: AppContext, fileName = 'grants-test') =>
  call('report:export', { runId, format: 'csv', folder, fileName }, ctx);

function refused(result: Result<unknown>, code = 'path_not_granted') {
  expect(result).toMatchObject({ ok: false, error: { code } });
}

describe('services with path grants (desktop app)', () => {
  it('refuse ungranted files for detection and import, and import nothing', async () => {
    const { ctx } = desktop();
    const before = ws.ctx.db.prepare('SELECT count(*) AS n FROM snapshots').get();
    refused(await call('snapshot:detect-format', { path: otherFile }, ctx));
    refused(await call('snapshot:import', { path: otherFile, side: 'storefront' }, ctx));
    refused(await call('snapshot:detect-format', { path: '/etc/passwd' }, ctx));
    refused(
      await call('snapshot:detect-format', { path: path.join(dir, 'in', '..', 'secret', 'shopify-orders.json') }, ctx),
    );
    expect(ws.ctx.db.prepare('SELECT count(*) AS n FROM snapshots').get()).toEqual(before);
  });

  it('a file chosen in the dialog is detected and imported, then the grant is used up', async () => {
    const { ctx, asked } = desktop({ file: chosenFile });
    const chosen = await call('dialog:open-file', { side: 'storefront' }, ctx);
    expect(chosen).toEqual({ ok: true, value: { path: chosenFile } });
    expect(asked).toEqual(['file:Import a storefront export file']);
    const detected = await call('snapshot:detect-format', { path: chosenFile, side: 'storefront' }, ctx);
    expect(detected).toMatchObject({ ok: true, value: { format: 'shopify-json' } });
    // The file next to it is still refused.
    refused(await call('snapshot:detect-format', { path: otherFile }, ctx));
    const imported = await call(
      'snapshot:import',
      { path: chosenFile, side: 'storefront', options: { allowDuplicate: true, label: 'granted' } },
      ctx,
    );
    expect(imported.ok, JSON.stringify(imported)).toBe(true);
    refused(await call('snapshot:detect-format', { path: chosenFile }, ctx));
  }, 60_000);

  it('a mapping file named by path needs a grant too', async () => {
    const { ctx } = desktop({ file: chosenFile });
    await call('dialog:open-file', {}, ctx);
    refused(
      await call('snapshot:import', { path: chosenFile, side: 'storefront', options: { mapping: otherFile } }, ctx),
    );
  });

  it('report:export writes only into a folder chosen in the dialog', async () => {
    const { ctx } = desktop({ folder: chosenFolder });
    refused(await exportTo(otherFolder, ctx));
    refused(await exportTo(os.tmpdir(), ctx));
    expect(fs.readdirSync(otherFolder)).toEqual([]);
    expect(await call('dialog:choose-folder', {}, ctx)).toEqual({ ok: true, value: { path: chosenFolder } });
    // A sub-folder of the chosen folder is not the chosen folder.
    fs.mkdirSync(path.join(chosenFolder, 'sub'));
    refused(await exportTo(path.join(chosenFolder, 'sub'), ctx));
    const done = await exportTo(chosenFolder, ctx);
    expect(done).toMatchObject({ ok: true, value: { path: path.join(chosenFolder, 'grants-test.csv') } });
    // A hostile file name still cannot leave the folder.
    refused(await exportTo(chosenFolder, ctx, '../elsewhere/x'), 'export_name_rejected');
    expect(fs.readdirSync(otherFolder)).toEqual([]);
  });

  it('ui:list-folder is refused; the native dialog is the way', async () => {
    const { ctx } = desktop();
    refused(await call('ui:list-folder', {}, ctx), 'not_available');
    refused(await call('ui:list-folder', { path: dir }, ctx), 'not_available');
  });

  it('a cancelled dialog grants nothing', async () => {
    const { ctx } = desktop({ file: null, folder: null });
    expect(await call('dialog:open-file', {}, ctx)).toEqual({ ok: true, value: { path: null } });
    expect(await call('dialog:choose-folder', {}, ctx)).toEqual({ ok: true, value: { path: null } });
    expect(ctx.pathGrants?.size).toBe(0);
  });

  it('a dropped file (ui:upload-chunk) is staged and granted for import: bytes, not paths', async () => {
    const { ctx } = desktop();
    const bytes = fs.readFileSync(chosenFile);
    const staged = await call(
      'ui:upload-chunk',
      { uploadId: null, fileName: 'dropped.json', offset: 0, data: bytes.toString('base64'), done: true },
      ctx,
    );
    expect(staged.ok).toBe(true);
    const stagedPath = (staged as { value: { path: string } }).value.path;
    expect(await call('snapshot:detect-format', { path: stagedPath }, ctx)).toMatchObject({
      ok: true,
      value: { format: 'shopify-json' },
    });
  });
});

describe('without path grants (browser mode, CLI): unchanged', () => {
  it('typed paths work and the dialog channels answer not_available', async () => {
    const ctx = ws.ctx;
    expect(await call('snapshot:detect-format', { path: otherFile }, ctx)).toMatchObject({ ok: true });
    expect(await call('ui:list-folder', { path: dir }, ctx)).toMatchObject({ ok: true });
    refused(await call('dialog:open-file', {}, ctx), 'not_available');
    refused(await call('dialog:choose-folder', {}, ctx), 'not_available');
    expect(await exportTo(otherFolder, ctx)).toMatchObject({ ok: true });
    fs.rmSync(path.join(otherFolder, 'grants-test.csv'));
  });
});
