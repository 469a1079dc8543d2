import { randomUUID } from 'node:crypto';
import { UserError } from '../../shared/errors';
import { throttleProgress } from '../jobs/progress-throttle';
import { addAccount, editAccount, listAccounts, removeAccount } from '../use-cases/accounts';
import { learnCapabilities } from '../use-cases/capabilities';
import { getConnection, setConnection, testConnection } from '../use-cases/connections';
import { listLearnableRefunds } from '../use-cases/learnable-refunds';
import { pullAccount } from '../use-cases/pull-account';
import { confirmReadiness, setReadinessCutoff, showReadiness } from '../use-cases/readiness';
import { getSettings, setSettings } from '../use-cases/settings';
import { recentWorkspaces, switchFromScreen } from '../use-cases/workspaces';
import type { HandlerMap } from './handler';

type AccountChannel =
  | 'account:entries'
  | 'account:add'
  | 'account:edit'
  | 'account:remove'
  | 'connection:get'
  | 'connection:set'
  | 'connection:test'
  | 'connection:pull-account'
  | 'capabilities:refunds'
  | 'capabilities:learn'
  | 'readiness:view'
  | 'readiness:confirm'
  | 'readiness:cutoff'
  | 'settings:get'
  | 'settings:set'
  | 'workspace:recent'
  | 'workspace:open'
  | 'workspace:create';

/** Issue 13's channels: each calls one use-case. */
export const accountHandlers: HandlerMap<AccountChannel> = {
  'account:entries': (_input, ctx) => listAccounts(ctx),
  'account:add': (input, ctx) => addAccount(ctx, input),
  'account:edit': (input, ctx) => editAccount(ctx, input),
  'account:remove': (input, ctx) => removeAccount(ctx, input),
  'connection:get': (input, ctx) => getConnection(ctx, input),
  'connection:set': (input, ctx) => setConnection(ctx, input),
  'connection:test': (input, ctx, signal) => testConnection(ctx, input, signal),
  'connection:pull-account': async (input, ctx, signal) => {
    // Same progress events as the file-driven pull job, so the Snapshots screen's bar follows it.
    const jobId = randomUUID();
    const send = throttleProgress((update) => ctx.emit('job:progress', { jobId, kind: 'pull', ...update }));
    try {
      return await pullAccount(ctx, input, signal, send);
    } catch (error) {
      // Cancelled like the other pull: the snapshot write rolls back, and the answer says so.
      if (signal.aborted) throw new UserError('cancelled', 'The pull was cancelled; no snapshot was saved.');
      throw error;
    }
  },
  'capabilities:refunds': (input, ctx) => listLearnableRefunds(ctx, input),
  'capabilities:learn': (input, ctx) => learnCapabilities(ctx, input),
  'readiness:view': (input, ctx) => showReadiness(ctx, input),
  'readiness:confirm': (input, ctx) => confirmReadiness(ctx, input),
  'readiness:cutoff': (input, ctx) => setReadinessCutoff(ctx, input),
  'settings:get': (_input, ctx) => getSettings(ctx),
  'settings:set': (input, ctx) => setSettings(ctx, input),
  'workspace:recent': (_input, ctx) => recentWorkspaces(ctx),
  'workspace:open': (input, ctx) => switchFromScreen(ctx, { path: input.path }),
  'workspace:create': (input, ctx) => switchFromScreen(ctx, { path: input.path, create: true }),
};
