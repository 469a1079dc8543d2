import type { Direction } from '../../shared/contract/workspace';
import { UserError } from '../../shared/errors';
import { appendAudit, lastAuditAt } from '../store/audit';
import { type Db, nowIso } from '../store/open';
import { setImportOrdersAfter } from '../store/refund-sync-settings';
import { DIRECTION_LABELS } from './catalogue';
import { latestPassingDryRun } from './dry-run-store';
import { readSyncState } from './settings-store';

/**
 * The readiness checklist (spec §8), in the words of the connector's documentation: the first two
 * activation steps done, production deployment requirements reviewed, order sync tested, refund
 * sync tested on sample orders, one direction. Three items are confirmed by hand (who, when, a
 * note, audited); two are computed from the workspace. An item goes back to "to do" when it goes
 * stale: the dry run older than 7 days, or the direction changed after the dry run or the review.
 */
export type ReadinessItemId =
  | 'activation_steps'
  | 'deployment_reviewed'
  | 'order_sync_tested'
  | 'refund_sync_validated'
  | 'one_direction';

export const MANUAL_ITEMS = ['activation_steps', 'deployment_reviewed', 'order_sync_tested'] as const;
export type ManualItemId = (typeof MANUAL_ITEMS)[number];

export interface ReadinessItem {
  id: ReadinessItemId;
  label: string;
  met: boolean;
  detail: string;
  /** What to do next when not met (empty when met). */
  nextStep: string;
  /** Items the user confirms by hand; the others are computed. */
  confirmable: boolean;
  /** Who confirmed it and when (manual items), or null. */
  by: string | null;
  at: string | null;
  note: string | null;
}

export interface Readiness {
  accountId: number;
  environment: 'sandbox' | 'production' | null;
  direction: Direction;
  importOrdersAfter: string | null;
  allMet: boolean;
  items: ReadinessItem[];
}

export const DRY_RUN_MAX_AGE_DAYS = 7;

interface Confirmation {
  confirmed: number;
  note: string;
  actor: string;
  at: string;
}

function latestConfirmation(db: Db, accountId: number, item: string): Confirmation | undefined {
  return db
    .prepare(
      'SELECT confirmed, note, actor, at FROM readiness_confirmations WHERE storefront_account_id = ? AND item = ? ORDER BY id DESC LIMIT 1',
    )
    .get(accountId, item) as Confirmation | undefined;
}

/** When the direction last changed (the audit log keeps every change), or null. */
function directionChangedAt(db: Db, accountId: number): string | null {
  return lastAuditAt(db, `storefront_account:${accountId}`, 'sync.direction');
}

function confirmedBy(c: Confirmation | undefined): Pick<ReadinessItem, 'by' | 'at' | 'note'> {
  return c?.confirmed === 1 ? { by: c.actor, at: c.at, note: c.note || null } : { by: null, at: null, note: null };
}

function confirmedDetail(c: Confirmation): string {
  return `Confirmed by ${c.actor} on ${c.at.slice(0, 10)}${c.note ? `: ${c.note}` : ''}.`;
}

/** Spec §8 checklist, computed from the workspace: nothing is taken on trust except the confirmations. */
export function readiness(db: Db, accountId: number, now: Date = new Date()): Readiness {
  const state = readSyncState(db, accountId);
  const direction = state.direction;
  const changedAt = directionChangedAt(db, accountId);
  const items: ReadinessItem[] = [];

  const activation = latestConfirmation(db, accountId, 'activation_steps');
  const activationMet = activation?.confirmed === 1;
  items.push({
    id: 'activation_steps',
    label: 'First two activation steps done',
    met: activationMet,
    detail: activationMet ? confirmedDetail(activation!) : 'Not confirmed.',
    nextStep: activationMet
      ? ''
      : 'Install the connector and connect the storefront and the NetSuite account (the first two activation steps of the connector), then confirm this item.',
    confirmable: true,
    ...confirmedBy(activation),
  });

  const deployment = latestConfirmation(db, accountId, 'deployment_reviewed');
  const reviewStale = deployment?.confirmed === 1 && changedAt !== null && changedAt > deployment.at;
  const missing: string[] = [];
  if (!state.netsuite) missing.push('link a NetSuite account (sandbox or production) to this storefront account');
  if (!state.importOrdersAfter) missing.push('set the "Import Orders Created After" cutoff date');
  if (deployment?.confirmed !== 1)
    missing.push(
      'review the deployment requirements (sandbox or production account, mappings, several connectors going live) and confirm them',
    );
  else if (reviewStale)
    missing.push('review the deployment requirements again: the direction changed after the review');
  items.push({
    id: 'deployment_reviewed',
    label: 'Production deployment requirements reviewed',
    met: missing.length === 0,
    detail:
      missing.length === 0
        ? `${state.netsuite!.environment === 'production' ? 'Production' : 'Sandbox'} account ${state.netsuite!.accountId}; orders imported after ${state.importOrdersAfter}. ${confirmedDetail(deployment!)}`
        : `Missing: ${missing.length} step(s).`,
    nextStep: missing.length ? `${missing.join('; ')}.` : '',
    confirmable: true,
    ...(reviewStale ? { by: null, at: null, note: null } : confirmedBy(deployment)),
  });

  const orders = latestConfirmation(db, accountId, 'order_sync_tested');
  const ordersMet = orders?.confirmed === 1;
  items.push({
    id: 'order_sync_tested',
    label: 'Order sync tested',
    met: ordersMet,
    detail: ordersMet ? confirmedDetail(orders!) : 'Not confirmed.',
    nextStep: ordersMet
      ? ''
      : 'Place a test order in the storefront, check it reached NetSuite with the right total, tax, lines and payment method, bill it (Cash Sale if paid, Invoice on terms), then confirm this item.',
    confirmable: true,
    ...confirmedBy(orders),
  });

  const cutoff = new Date(now.getTime() - DRY_RUN_MAX_AGE_DAYS * 86_400_000).toISOString();
  const run = direction === 'off' ? undefined : latestPassingDryRun(db, accountId, direction);
  const coverage = run ? (JSON.parse(run.coverage) as { missing?: string[]; covered?: string[] }) : undefined;
  const fresh = run ? run.created_at >= cutoff : false;
  const afterDirection = run ? changedAt === null || run.created_at >= changedAt : false;
  const covered = coverage ? (coverage.missing ?? []).length === 0 : false;
  let refundDetail: string;
  let refundNext = '';
  if (direction === 'off') {
    refundDetail = 'No direction chosen, so no dry run can validate it.';
    refundNext = 'Choose the direction first, then run a dry run on test orders.';
  } else if (!run) {
    refundDetail = `No passing dry run ${DIRECTION_LABELS[direction]}.`;
    refundNext = `Refund test orders (a full, a partial and a shipping refund), then run a dry run ${DIRECTION_LABELS[direction]} on them and fix what fails.`;
  } else if (!afterDirection) {
    refundDetail = `The last passing dry run (#${run.id}, ${run.created_at.slice(0, 10)}) was made before the direction changed.`;
    refundNext = 'Run the dry run again on the test orders, in the direction now chosen.';
  } else if (!fresh) {
    refundDetail = `The last passing dry run (#${run.id}, ${run.created_at.slice(0, 10)}) is older than ${DRY_RUN_MAX_AGE_DAYS} days.`;
    refundNext = 'Run the dry run again on the test orders.';
  } else if (!covered) {
    const missingWords = (coverage?.missing ?? []).map(coverageWords);
    refundDetail = `Dry run #${run.id} passed but did not cover: ${missingWords.join(', ')}.`;
    refundNext = `Add test orders with ${missingWords.join(' and ')} refunds to the dry run.`;
  } else {
    refundDetail = `Dry run #${run.id} passed on ${run.created_at.slice(0, 10)}, covering ${(coverage?.covered ?? []).map(coverageWords).join(', ') || 'the refunds the data has'}.`;
  }
  const refundMet = direction !== 'off' && !!run && fresh && afterDirection && covered;
  items.push({
    id: 'refund_sync_validated',
    label: 'Refund sync tested on sample orders',
    met: refundMet,
    detail: refundDetail,
    nextStep: refundNext,
    confirmable: false,
    by: refundMet ? 'dry run' : null,
    at: refundMet ? run!.created_at : null,
    note: null,
  });

  items.push({
    id: 'one_direction',
    label: 'One direction',
    met: direction !== 'off',
    detail: direction === 'off' ? 'Refund sync is off.' : `${DIRECTION_LABELS[direction]}.`,
    nextStep: direction === 'off' ? 'Choose storefront → NetSuite or NetSuite → storefront (never both).' : '',
    confirmable: false,
    by: null,
    at: direction === 'off' ? null : changedAt,
    note: null,
  });

  return {
    accountId,
    environment: state.netsuite?.environment ?? null,
    direction,
    importOrdersAfter: state.importOrdersAfter,
    allMet: items.every((i) => i.met),
    items,
  };
}

export function isManualItem(item: string): item is ManualItemId {
  return (MANUAL_ITEMS as readonly string[]).includes(item);
}

export function confirmReadinessItem(
  db: Db,
  input: {
    accountId: number;
    item: string;
    confirmed: boolean;
    note?: string;
    importOrdersAfter?: string;
    actor: string;
  },
): Readiness {
  if (!isManualItem(input.item)) {
    const computed = input.item === 'one_direction' || input.item === 'refund_sync_validated';
    throw new UserError(
      computed ? 'not_confirmable' : 'unknown_readiness_item',
      computed
        ? `"${input.item}" is worked out by the app, not confirmed by hand: ${input.item === 'one_direction' ? 'choose a direction' : 'run a dry run that passes'}.`
        : `"${input.item.slice(0, 60)}" is not a readiness item. Items confirmed by hand: ${MANUAL_ITEMS.join(', ')}.`,
      { field: 'item' },
    );
  }
  readSyncState(db, input.accountId);
  if (input.importOrdersAfter !== undefined) assertIsoDate(input.importOrdersAfter);
  const now = nowIso();
  db.transaction(() => {
    db.prepare(
      'INSERT INTO readiness_confirmations (storefront_account_id, item, confirmed, note, actor, at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(input.accountId, input.item, input.confirmed ? 1 : 0, input.note ?? '', input.actor, now);
    if (input.importOrdersAfter !== undefined) {
      setImportOrdersAfter(db, input.accountId, input.importOrdersAfter, now);
    }
    appendAudit(db, {
      actor: input.actor,
      action: 'readiness.confirm',
      entity: `storefront_account:${input.accountId}`,
      after: {
        item: input.item,
        confirmed: input.confirmed,
        note: input.note,
        importOrdersAfter: input.importOrdersAfter,
      },
    });
  })();
  return readiness(db, input.accountId);
}

/** A real calendar date in YYYY-MM-DD (2026-02-30 is refused). */
export function assertIsoDate(value: string, field = 'importOrdersAfter'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(`${value}T00:00:00Z`) : null;
  if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new UserError(
      'invalid_date',
      `"${value.slice(0, 20)}" is not a date: expected YYYY-MM-DD, such as 2026-01-31.`,
      {
        field,
      },
    );
  }
  return value;
}

/** Sets the "Import Orders Created After" cutoff date (audited). */
export function setCutoff(db: Db, input: { accountId: number; date: string; actor: string }): Readiness {
  assertIsoDate(input.date);
  const state = readSyncState(db, input.accountId);
  const now = nowIso();
  db.transaction(() => {
    setImportOrdersAfter(db, input.accountId, input.date, now);
    appendAudit(db, {
      actor: input.actor,
      action: 'readiness.cutoff',
      entity: `storefront_account:${input.accountId}`,
      before: { importOrdersAfter: state.importOrdersAfter },
      after: { importOrdersAfter: input.date },
    });
  })();
  return readiness(db, input.accountId);
}

/** Coverage items in words: scopes as they are, stored-value tenders as accountants say them. */
function coverageWords(item: string): string {
  return item === 'store_credit' ? 'store-credit' : item === 'gift_card' ? 'gift-card' : item;
}
