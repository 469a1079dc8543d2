import type { z } from 'zod';
import type { CapabilitiesEvidence } from '../../shared/contract/accounts';
import { UserError } from '../../shared/errors';
import type { CanonicalRefund, Tender } from '../../shared/model';
import { formatAmount } from '../../shared/money';
import { appendAudit } from '../store/audit';
import { readSnapshotRefunds } from '../store/refunds';
import { snapshotSide } from '../store/snapshots';
import { setCapabilities } from '../sync/direction-policy';
import { requireAccount } from '../sync/settings-store';
import type { UseCaseContext } from './context';

type Evidence = z.infer<typeof CapabilitiesEvidence>;
type Finding = Evidence['findings'][number];

const STORED_VALUE = /store[\s_-]?credit|gift[\s_-]?card|open[\s_-]?credit/i;
const KIND_WORDS: Record<Tender['kind'], string> = {
  card: 'card or other payment method',
  cash: 'cash',
  store_credit: 'store credit',
  gift_card: 'gift card',
  exchange: 'exchange credit',
  other: 'not said',
};

/** A tender in words, with where it was read: "tender 2 of 3 (gateway gift_card: gift card, USD 40.00)". */
function tenderWords(t: Tender, index: number, count: number, currency: string): string {
  const gateway = t.gateway ? `gateway ${t.gateway}` : 'no gateway';
  return `tender ${index + 1} of ${count} (${gateway}: ${KIND_WORDS[t.kind]}, ${currency} ${formatAmount(t.amount, currency)})`;
}

/**
 * A tender that says how the money went back: `other` with no gateway is the default a source
 * gives when it does not say (tenders.md §1.1), so it is no evidence either way.
 */
function attributed(t: Tender): boolean {
  return t.kind !== 'other' || t.gateway !== '';
}

/**
 * What one test refund shows about its storefront (spec §2, the seed advice: refund one order by
 * hand in the storefront and record the answer): line-item refunds from its lines; store credit
 * and split tender from its tenders (tenders.md §1.1, one per refund transaction the storefront
 * recorded). Only what the refund shows is recorded: a refund paid to one card does not prove the
 * store cannot refund to store credit, so a capability it says nothing about keeps its value, and
 * the finding says so.
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
  const tenders = refund.tenders ?? [];
  const known = tenders.filter(attributed);
  if (known.length > 0) learnFromTenders(refund, tenders, findings, patch);
  else learnWithoutTenders(refund, findings, patch);
  return { findings, patch };
}

/** Store credit and split tender from the refund's tenders (the storefront's refund transactions). */
function learnFromTenders(
  refund: CanonicalRefund,
  tenders: readonly Tender[],
  findings: Finding[],
  patch: { storeCredit?: boolean; splitTender?: boolean },
): void {
  const words = (t: Tender) => tenderWords(t, tenders.indexOf(t), tenders.length, refund.currency);
  const stored = tenders.filter((t) => t.kind === 'store_credit' || t.kind === 'gift_card');
  if (stored.length > 0) {
    patch.storeCredit = true;
    findings.push({
      capability: 'storeCredit',
      value: 'yes',
      evidence: `Refund ${refund.id} paid part of its total back as store credit or to a gift card: ${stored.map(words).join('; ')}.`,
    });
  } else {
    findings.push({
      capability: 'storeCredit',
      value: 'not shown',
      evidence: `Refund ${refund.id} paid nothing back as store credit or to a gift card (${tenders.map(words).join('; ')}); the setting is left as it was.`,
    });
  }
  // Two ways of paying back in one refund; exchange credit is value kept, not a payment method.
  const means = new Map<string, Tender>();
  for (const t of tenders) if (attributed(t) && t.kind !== 'exchange') means.set(`${t.kind}/${t.gateway}`, t);
  if (means.size > 1) {
    patch.splitTender = true;
    findings.push({
      capability: 'splitTender',
      value: 'yes',
      evidence: `Refund ${refund.id} was paid back by ${means.size} different means: ${[...means.values()].map(words).join('; ')}.`,
    });
  } else {
    findings.push({
      capability: 'splitTender',
      value: 'not shown',
      evidence: `Refund ${refund.id} was paid back by one means (${tenders.map(words).join('; ')}); the setting is left as it was.`,
    });
  }
}

/** A source that does not say how the refund was paid out: only its note may hint at store credit. */
function learnWithoutTenders(
  refund: CanonicalRefund,
  findings: Finding[],
  patch: { storeCredit?: boolean; splitTender?: boolean },
): void {
  const hint = STORED_VALUE.exec(refund.memo)?.[0];
  if (hint) {
    patch.storeCredit = true;
    findings.push({
      capability: 'storeCredit',
      value: 'yes',
      evidence: `Refund ${refund.id}: its note mentions "${hint}" (the snapshot does not record its tenders).`,
    });
  } else {
    findings.push({
      capability: 'storeCredit',
      value: 'not shown',
      evidence: `The snapshot does not record how refund ${refund.id} was paid out (no tender names a payment method); store credit is left as it was.`,
    });
  }
  findings.push({
    capability: 'splitTender',
    value: 'not shown',
    evidence: `The snapshot does not record how refund ${refund.id} was paid out (no tender names a payment method); split tender is left as it was.`,
  });
}

/** Picks a refund of a test order from a storefront snapshot and records what it shows (audited). */
export function learnCapabilities(
  ctx: UseCaseContext,
  input: { accountId: number; snapshotId: number; refundId: string; actor?: string | undefined },
): Evidence {
  const account = requireAccount(ctx.db, input.accountId);
  const side = snapshotSide(ctx.db, input.snapshotId);
  if (!side)
    throw new UserError('snapshot_not_found', `There is no snapshot ${input.snapshotId} in this workspace.`, {
      field: 'snapshotId',
    });
  if (side !== 'storefront') {
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
