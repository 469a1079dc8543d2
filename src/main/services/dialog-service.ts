import { UserError } from '../../shared/errors';
import type { HandlerMap } from './handler';

/** A file-type filter of an open dialog (Electron's `FileFilter` shape). */
export interface DialogFilter {
  name: string;
  /** Without the dot; `*` for all files. */
  extensions: string[];
}

/**
 * Native dialogs, provided by the Electron shell (src/main/electron/dialogs.ts) for the window
 * that asked. Each returns the chosen path, or null when the user cancelled. No renderer text
 * reaches them: titles, filters and options are decided here, in the main process.
 */
export interface NativeDialogs {
  openFile(options: { title: string; filters: DialogFilter[] }): Promise<string | null>;
  chooseFolder(options: { title: string }): Promise<string | null>;
}

/** The import formats' file types (detection reads the content, so "All files" stays offered). */
export const IMPORT_FILTERS: DialogFilter[] = [
  { name: 'Export files (JSON, JSON Lines, CSV)', extensions: ['json', 'jsonl', 'ndjson', 'csv', 'txt'] },
  { name: 'JSON (Shopify, BigCommerce, WooCommerce, SuiteQL, NetSuite records, canonical)', extensions: ['json'] },
  { name: 'JSON Lines (Shopify bulk export)', extensions: ['jsonl', 'ndjson'] },
  { name: 'CSV (NetSuite saved search, Shopify orders, canonical)', extensions: ['csv', 'txt'] },
  { name: 'All files', extensions: ['*'] },
];

/** Workspace files: the app writes `.sqlite`; older or hand-made ones may be `.db` / `.sqlite3`. */
export const WORKSPACE_FILTERS: DialogFilter[] = [
  { name: 'Refund Reconciler workspaces (.sqlite)', extensions: ['sqlite', 'sqlite3', 'db'] },
  { name: 'All files', extensions: ['*'] },
];

/** The order-context file of a dry run (OrderContextFile, sync/types.ts). */
export const ORDER_CONTEXT_FILTERS: DialogFilter[] = [
  { name: 'Order details (JSON)', extensions: ['json'] },
  { name: 'All files', extensions: ['*'] },
];

/** Title and filters of the open-file dialog, decided here from what the file is for (never by the renderer). */
export function openFileDialogOptions(input: {
  side?: 'storefront' | 'netsuite' | undefined;
  purpose?: 'import' | 'workspace' | 'order-context' | undefined;
}): {
  title: string;
  filters: DialogFilter[];
} {
  if (input.purpose === 'workspace') return { title: 'Open a workspace', filters: WORKSPACE_FILTERS };
  if (input.purpose === 'order-context') {
    return { title: 'Load the order details for dry runs', filters: ORDER_CONTEXT_FILTERS };
  }
  const what = input.side === 'netsuite' ? 'a NetSuite' : input.side === 'storefront' ? 'a storefront' : 'an';
  return { title: `Import ${what} export file`, filters: IMPORT_FILTERS };
}

function notAvailable(what: string): never {
  throw new UserError(
    'not_available',
    `The native ${what} dialog exists only in the desktop app. In the browser, type the path or use "Browse…".`,
  );
}

type DialogChannels = 'dialog:open-file' | 'dialog:choose-folder';

export const dialogHandlers: HandlerMap<DialogChannels> = {
  'dialog:open-file': async (input, ctx) => {
    if (!ctx.dialogs || !ctx.pathGrants) notAvailable('file');
    const chosen = await ctx.dialogs.openFile(openFileDialogOptions(input));
    if (chosen === null) return { path: null };
    return { path: ctx.pathGrants.grant(chosen, 'read-file') };
  },
  'dialog:choose-folder': async (_input, ctx) => {
    if (!ctx.dialogs || !ctx.pathGrants) notAvailable('folder');
    const chosen = await ctx.dialogs.chooseFolder({ title: 'Choose the folder to export into' });
    if (chosen === null) return { path: null };
    return { path: ctx.pathGrants.grant(chosen, 'write-folder') };
  },
};
