import type { Direction } from '../../shared/contract/workspace';
import { UserError } from '../../shared/errors';
import { appendAudit } from '../store/audit';
import { type Db, nowIso } from '../store/open';
import { DIRECTION_LABELS } from './catalogue';
import { readSyncState } from './settings-store';

export type ReadinessItemId = 'order_sync_tested' | 'refund_sync_validated' | 'deployment_reviewed' | 'one_direction';

export interface ReadinessItem {
  id: ReadinessItemId;
  label: string;
  met: boolean;
  detail: string;
  /** What to do next when not met (empty when met). */
  nextStep: string;
  /** Items the user confirms by hand; the others are computed. */
  confirmable: boolean;
}

export interface Readiness {
  accountId: number;
  environment: 'sandbox' | 'production' | null;
  direction: Direction;
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

interface DryRunRow {
  id: number;
  direction: string;
  status: string;
  coverage: string;
  created_at: string;
}

/** Spec §8 checklist, computed from the workspace: nothing here is taken on trust except the two confirmations. */
export function readiness(db: Db, accountId: number, now: Date = new Date()): Readiness {
  const state = readSyncState(db, accountId);
  const items: ReadinessItem[] = [];

  const orders = latestConfirmation(db, accountId, 'order_sync_tested');
  items.push({
    id: 'order_sync_tested',
    label: 'Order sync tested: test orders reached NetSuite',
    met: orders?.confirmed === 1,
    detail:
      orders?.confirmed === 1
        ? `Confirmed by ${orders.actor} on ${orders.at.slice(0, 10)}${orders.note ? `: ${orders.note}` : ''}`
        : 'Not confirmed.',
    nextStep:
      orders?.confirmed === 1
        ? ''
        : 'Place a test order in the storefront, check it reached NetSuite with the right total, tax, lines and payment method, bill it (Cash Sale if paid, Invoice on terms), then confirm this item.',
    confirmable: true,
  });

  const direction = state.direction;
  const cutoff = new Date(now.getTime() - DRY_RUN_MAX_AGE_DAYS * 86_400_000).toISOString();
  const run =
    direction === 'off'
      ? undefined
      : (db
          .prepare(
            "SELECT id, direction, status, coverage, created_at FROM dry_runs WHERE storefront_account_id = ? AND direction = ? AND status = 'pass' ORDER BY id DESC LIMIT 1",
          )
          .get(accountId, direction) as DryRunRow | undefined);
  const coverage = run ? (JSON.parse(run.coverage) as { missing?: string[]; covered?: string[] }) : undefined;
  const fresh = run ? run.created_at >= cutoff : false;
  const covered = coverage ? (coverage.missing ?? []).length === 0 : false;
  let refundDetail: string;
  let refundNext = '';
  if (direction === 'off') {
    refundDetail = 'No direction chosen, so no dry run can validate it.';
    refundNext = 'Choose the direction first, then run a dry run on test orders.';
  } else if (!run) {
    refundDetail = `No passing dry run ${DIRECTION_LABELS[direction]}.`;
    refundNext = `Refund test orders (a full, a partial and a shipping refund), then run a dry run ${DIRECTION_LABELS[direction]} on them and fix what fails.`;
  } else if (!fresh) {
    refundDetail = `The last passing dry run (#${run.id}, ${run.created_at.slice(0, 10)}) is older than ${DRY_RUN_MAX_AGE_DAYS} days.`;
    refundNext = 'Run the dry run again on the test orders.';
  } else if (!covered) {
    refundDetail = `Dry run #${run.id} passed but did not cover: ${(coverage?.missing ?? []).join(', ')}.`;
    refundNext = `Add test orders with ${(coverage?.missing ?? []).join(' and ')} refunds to the dry run.`;
  } else {
    refundDetail = `Dry run #${run.id} passed on ${run.created_at.slice(0, 10)}, covering ${(coverage?.covered ?? []).join(', ') || 'the refunds the data has'}.`;
  }
  items.push({
    id: 'refund_sync_validated',
    label: `Refund sync tested and validated by a passing dry run less than ${DRY_RUN_MAX_AGE_DAYS} days old`,
    met: direction !== 'off' && !!run && fresh && covered,
    detail: refundDetail,
    nextStep: refundNext,
    confirmable: false,
  });

  const deployment = latestConfirmation(db, accountId, 'deployment_reviewed');
  const missing: string[] = [];
  if (!state.netsuite) missing.push('link a NetSuite account (sandbox or production) to this storefront account');
  if (!state.importOrdersAfter) missing.push('set the "Import Orders Created After" cutoff date');
  if (deployment?.confirmed !== 1)
    missing.push(
      'review the deployment checklist (sandbox vs production account, mappings, several connectors going live) and confirm it',
    );
  items.push({
    id: 'deployment_reviewed',
    label: 'Production deployment requirements reviewed',
    met: missing.length === 0,
    detail:
      missing.length === 0
        ? `${state.netsuite!.environment === 'production' ? 'Production' : 'Sandbox'} account ${state.netsuite!.accountId}; orders imported after ${state.importOrdersAfter}; confirmed by ${deployment!.actor}.`
        : `Missing: ${missing.length} step(s).`,
    nextStep: missing.length ? `${missing.join('; ')}.` : '',
    confirmable: true,
  });

  items.push({
    id: 'one_direction',
    label: 'Exactly one direction chosen',
    met: direction !== 'off',
    detail: direction === 'off' ? 'Refund sync is off.' : `${DIRECTION_LABELS[direction]}.`,
    nextStep: direction === 'off' ? 'Choose storefront → NetSuite or NetSuite → storefront (never both).' : '',
    confirmable: false,
  });

  return {
    accountId,
    environment: state.netsuite?.environment ?? null,
    direction,
    allMet: items.every((i) => i.met),
    items,
  };
}

export function confirmReadinessItem(
  db: Db,
  input: {
    accountId: number;
    item: ReadinessItemId;
    confirmed: boolean;
    note?: string;
    importOrdersAfter?: string;
    actor: string;
  },
): Readiness {
  if (input.item !== 'order_sync_tested' && input.item !== 'deployment_reviewed') {
    throw new UserError(
      'not_confirmable',
      `"${input.item}" is computed, not confirmed by hand: ${input.item === 'one_direction' ? 'choose a direction' : 'run a dry run that passes'}.`,
      { field: 'item' },
    );
  }
  readSyncState(db, input.accountId);
  if (input.importOrdersAfter !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(input.importOrdersAfter)) {
    throw new UserError('invalid_date', `importOrdersAfter: expected YYYY-MM-DD; found "${input.importOrdersAfter}".`, {
      field: 'importOrdersAfter',
    });
  }
  const now = nowIso();
  db.transaction(() => {
    db.prepare(
      'INSERT INTO readiness_confirmations (storefront_account_id, item, confirmed, note, actor, at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(input.accountId, input.item, input.confirmed ? 1 : 0, input.note ?? '', input.actor, now);
    if (input.importOrdersAfter !== undefined) {
      db.prepare(
        'UPDATE refund_sync_settings SET import_orders_after = ?, updated_at = ? WHERE storefront_account_id = ?',
      ).run(input.importOrdersAfter, now, input.accountId);
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
