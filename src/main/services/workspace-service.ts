import { listNetsuiteAccounts, listStorefrontAccounts } from '../store/accounts';
import { listSnapshots } from '../store/snapshots';
import type { HandlerMap } from './handler';

export const workspaceHandlers: HandlerMap<'workspace:info' | 'account:list' | 'snapshot:list'> = {
  'workspace:info': (_input, ctx) => ({
    path: ctx.workspacePath,
    schemaVersion: ctx.db.pragma('user_version', { simple: true }) as number,
    isDemo: ctx.isDemo,
    appVersion: ctx.appVersion,
  }),
  'account:list': (_input, ctx) => ({
    storefront: listStorefrontAccounts(ctx.db),
    netsuite: listNetsuiteAccounts(ctx.db),
  }),
  'snapshot:list': (input, ctx) => listSnapshots(ctx.db, input.side),
};
