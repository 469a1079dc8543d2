import type { z } from 'zod';
import type { CapabilitiesEvidence } from '../../shared/contract/accounts';
import { UserError } from '../../shared/errors';
import type { CanonicalRefund } from '../../shared/model';
import type { AppContext } from '../context';
import { appendAudit } from '../store/audit';
import { readSnapshotRefunds } from '../store/snapshot-writer';
import { setCapabilities } from '../sync/direction-policy';
import { requireAccount } from '../sync/settings-store';

type Evidence = z.infer<typeof CapabilitiesEvidence>;
type Finding = Evidence['findings'][number];

/** Tender kinds a refund may carry once the importers record tenders (tenders.md §1.1). */
interface TenderLike {
  kind?: unknown;
  gateway?: unknown;
}

const STORED_VALUE = /store[\s_-]?credit|gift[\s_-]?card|open[\s_-]?credit/i;

/**
 * What one test refund shows about its storefront (spec §2, the seed advice: refund one order by
 * hand in the storefront and record the answer): line-item refunds from its lines; store credit
 * and split tender from its tenders. Only what the refund shows is recorded; a capability it says
 * nothing about keeps its value, and the finding says so.
 */
export function learnFromRefund(refund: CanonicalRefund): {
  findings: Finding[];
  patch: { lineItemRefunds?: 'yes' | 'no'; storeCredit?: boolean; splitTender?: boolean };
} {
  const findings: Finding[] = [];
  const patch: { lineItemRefunds?: 'yes' | 'no'; storeCredit?: boolean; splitTender?: boolean } = {};
  const itemLines = refund.lines.filter((l) => l.role === 'item');
  if (itemLines.length > 0) {
    patch.lineItemRefunds = 'yes';
    findings.push({
      capability: 'lineItemRefunds',
      value: 'yes',
      evidence: `Refund ${refund.id} lists ${itemLines.length} refunded item line(s) (${itemLines
        .slice(0, 3)
        .map((l) => `${l.sku || 'no SKU'} × ${l.quantity}`)
        .join(', ')}) in its refund lines.`,
    });
  } else {
    patch.lineItemRefunds = 'no';
    findings.push({
      capability: 'lineItemRefunds',
      value: 'no',
      evidence: `Refund ${refund.id} has no item lines: it refunds an amount only (${refund.lines.length ? `its ${refund.lines.length} line(s) are shipping, tax or generic` : 'no refund lines at all'}).`,
    });
  }
  const tenders = (refund as CanonicalRefund & { tenders?: TenderLike[] }).tenders;
  if (Array.isArray(tenders) && tenders.length > 0) {
    const stored = tenders.filter(
      (t) => t.kind === 'store_credit' || t.kind === 'gift_card' || STORED_VALUE.test(String(t.gateway ?? '')),
    );
    if (stored.length > 0) {
      patch.storeCredit = true;
      findings.push({
        capability: 'storeCredit',
        value: 'yes',
        evidence: `Refund ${refund.id} paid ${stored.length} part(s) as store credit or gift card (its tenders).`,
      });
    } else {
      findings.push({
        capability: 'storeCredit',
        value: 'not shown',
        evidence: `Refund ${refund.id} paid no part as store credit; the setting is left as it was.`,
      });
    }
    const kinds = new Set(tenders.map((t) => `${String(t.kind ?? '')}/${String(t.gateway ?? '')}`));
    if (kinds.size > 1) {
      patch.splitTender = true;
      findings.push({
        capability: 'splitTender',
        value: 'yes',
        evidence: `Refund ${refund.id} was paid by ${kinds.size} different tenders (its tenders).`,
      });
    } else {
      findings.push({
        capability: 'splitTender',
        value: 'not shown',
        evidence: `Refund ${refund.id} was paid by one tender; the setting is left as it was.`,
      });
    }
  } else {
    const memoHint = STORED_VALUE.test(refund.memo)
      ? ` Its note mentions "${refund.memo.match(STORED_VALUE)![0]}".`
      : '';
    if (memoHint) {
      patch.storeCredit = true;
      findings.push({ capability: 'storeCredit', value: 'yes', evidence: `Refund ${refund.id}:${memoHint}` });
    } else {
      findings.push({
        capability: 'storeCredit',
        value: 'not shown',
        evidence: `The snapshot does not record how refund ${refund.id} was paid out; store credit is left as it was.`,
      });
    }
    findings.push({
      capability: 'splitTender',
      value: 'not shown',
      evidence: `The snapshot does not record how refund ${refund.id} was paid out; split tender is left as it was.`,
    });
  }
  return { findings, patch };
}

/** Picks a refund of a test order from a storefront snapshot and records what it shows (audited). */
export function learnCapabilities(
  ctx: AppContext,
  input: { accountId: number; snapshotId: number; refundId: string; actor?: string | undefined },
): Evidence {
  const account = requireAccount(ctx.db, input.accountId);
  const snapshot = ctx.db.prepare('SELECT side FROM snapshots WHERE id = ?').get(input.snapshotId) as
    | { side: string }
    | undefined;
  if (!snapshot)
    throw new UserError('snapshot_not_found', `There is no snapshot ${input.snapshotId} in this workspace.`, {
      field: 'snapshotId',
    });
  if (snapshot.side !== 'storefront') {
    throw new UserError(
      'not_storefront_snapshot',
      `Snapshot ${input.snapshotId} holds NetSuite records: pick a storefront snapshot, where the test refund was made.`,
      {
        field: 'snapshotId',
      },
    );
  }
  const refund = readSnapshotRefunds(ctx.db, input.snapshotId).find(
    (r) => r.id === input.refundId || r.documentNumber === input.refundId,
  );
  if (!refund) {
    throw new UserError(
      'refund_not_found',
      `Snapshot ${input.snapshotId} has no refund "${input.refundId.slice(0, 60)}": pick a refund of the test order from the list.`,
      {
        field: 'refundId',
      },
    );
  }
  const { findings, patch } = learnFromRefund(refund);
  const actor = input.actor ?? 'local user';
  ctx.db.transaction(() => {
    setCapabilities(ctx.db, { accountId: account.id, ...patch, actor });
    appendAudit(ctx.db, {
      actor,
      action: 'account.capabilities.learned',
      entity: `storefront_account:${account.id}`,
      after: { snapshotId: input.snapshotId, refundId: refund.id, orderRef: refund.orderRef, findings },
    });
  })();
  return { snapshotId: input.snapshotId, refundId: refund.id, orderRef: refund.orderRef, findings };
}
