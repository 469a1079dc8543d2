import type { ReadinessView } from '../../shared/contract/accounts';
import { netsuiteEnvironment } from '../../shared/netsuite-environment';
import type { AppContext } from '../context';
import { getStorefrontAccount, listNetsuiteAccounts } from '../store/accounts';
import { confirmReadinessItem, type Readiness, readiness, setCutoff } from '../sync/readiness';
import { requireAccount } from '../sync/settings-store';

/** The checklist as the faces show it: title, done, who and when, what to do next. */
function view(ctx: AppContext, r: Readiness): ReadinessView {
  const account = getStorefrontAccount(ctx.db, r.accountId)!;
  const netsuite = listNetsuiteAccounts(ctx.db).find((n) => n.id === account.netsuiteAccountId);
  return {
    account: account.name,
    ready: r.allMet,
    environment: netsuite ? netsuiteEnvironment(netsuite.accountId) : null,
    direction: r.direction,
    cutoff: r.importOrdersAfter,
    items: r.items.map((i) => ({
      id: i.id,
      title: i.label,
      done: i.met,
      by: i.by,
      at: i.at,
      note: i.note,
      detail: i.detail,
      nextStep: i.nextStep,
      confirmable: i.confirmable,
    })),
  };
}

export function showReadiness(ctx: AppContext, input: { accountId: number }): ReadinessView {
  requireAccount(ctx.db, input.accountId);
  return view(ctx, readiness(ctx.db, input.accountId));
}

/** Confirms one manual item: who, when (now), an optional note; written to the audit log. */
export function confirmReadiness(
  ctx: AppContext,
  input: { accountId: number; item: string; actor: string; note?: string | undefined },
): ReadinessView {
  const r = confirmReadinessItem(ctx.db, {
    accountId: input.accountId,
    item: input.item,
    confirmed: true,
    actor: input.actor,
    ...(input.note ? { note: input.note } : {}),
  });
  return view(ctx, r);
}

export function setReadinessCutoff(
  ctx: AppContext,
  input: { accountId: number; date: string; actor?: string | undefined },
): ReadinessView {
  return view(
    ctx,
    setCutoff(ctx.db, { accountId: input.accountId, date: input.date, actor: input.actor ?? 'local user' }),
  );
}
