import { type CanonicalRefund, defaultTenders, type Tender, type TenderKind } from '../../shared/model';
import { formatAmount, minorFromApiNumber, parseAmount } from '../../shared/money';
import type { ClassSums } from '../tenders/classes';
import { NetsuiteTenderKinds, netsuiteTenders } from '../tenders/netsuite-tenders';
import { bigcommercePaymentKind, shopifyGatewayKind } from '../tenders/storefront-kinds';
import type { NetsuiteBuild } from './builders/netsuite-record';
import type { StorefrontBuild, StorefrontWrite } from './builders/storefront-request';
import type { Check } from './checks';
import { readBackAgrees } from './tender-split';
import type { SyncOptions } from './types';

/**
 * The dry run's `tender` check (tenders.md §5): the would-be record, read back as a canonical
 * refund's tenders, must reproduce the source's split by §2 (classes money / stored value /
 * exchange, `other` filling any class; exact, since the app writes it). A source that does not say
 * how money went back (`other`) passes with "tender unverified".
 */

function amountOf(value: unknown, currency: string): number {
  if (typeof value === 'number') {
    const r = minorFromApiNumber(value, currency);
    return r.ok ? r.minor : 0;
  }
  if (typeof value === 'string') {
    const r = parseAmount(value, currency);
    return r.ok ? r.minor : 0;
  }
  return 0;
}

function tender(kind: TenderKind, gateway: string, amount: number, state: Tender['state'] = 'settled'): Tender {
  return { kind, gateway, amount, presentmentAmount: null, state, ref: '' };
}

function words(sums: ClassSums, currency: string): string {
  const parts: string[] = [];
  const m = (n: number) => `${currency} ${formatAmount(n, currency)}`;
  if (sums.money) parts.push(`money ${m(sums.money)}`);
  if (sums.stored_value) parts.push(`stored value ${m(sums.stored_value)}`);
  if (sums.exchange) parts.push(`exchange ${m(sums.exchange)}`);
  if (sums.other) parts.push(`unspecified ${m(sums.other)}`);
  return parts.join(', ') || 'nothing';
}

function kindWords(tenders: readonly Tender[], currency: string): string {
  return (
    tenders.map((t) => `${t.kind.replace('_', ' ')} ${currency} ${formatAmount(t.amount, currency)}`).join(' + ') ||
    'nothing'
  );
}

function check(source: readonly Tender[], readBack: readonly Tender[], currency: string, nsIsSource: boolean): Check {
  const sf = nsIsSource ? readBack : source;
  const ns = nsIsSource ? source : readBack;
  const r = readBackAgrees(sf, ns);
  const unverified = source.some((t) => t.kind === 'other');
  const sourceWords = kindWords(source, currency);
  const backWords = words(nsIsSource ? r.storefront : r.netsuite, currency);
  return {
    name: 'tender',
    ok: r.agrees,
    expected: sourceWords,
    found: backWords,
    message: r.agrees
      ? `${sourceWords}: the record reads back as ${backWords}${unverified ? ' (tender unverified: the source does not say how the money went back)' : ''}.`
      : `The source went back as ${sourceWords}, but the record would read back as ${backWords}: the tender split differs.`,
  };
}

/** The source's tenders in the record's currency (presentment amounts when it is recorded in those). */
function sourceTenders(source: CanonicalRefund, currency: string): Tender[] {
  if (source.currency === currency) return source.tenders;
  return source.tenders.map((t) => ({ ...t, amount: t.presentmentAmount ?? t.amount }));
}

/** The NetSuite write(s) read back as one canonical unit (memo + its Customer Refund). */
export function netsuiteReadBack(
  build: NetsuiteBuild,
  options: Pick<SyncOptions, 'paymentMethods' | 'tenderItems'>,
): Tender[] {
  const main = build.writes[0];
  if (!main) return [];
  const currency = build.currency;
  const kinds = new NetsuiteTenderKinds(undefined);
  const methodOf = (body: Record<string, unknown>) => {
    const id = (body.paymentMethod as { id?: string } | undefined)?.id ?? '';
    const known = options.paymentMethods.find((m) => m.id === id);
    return { id, name: known ? known.name || known.gateway : id };
  };
  const body = main.body as Record<string, unknown>;
  const items = ((body.item as { items?: Record<string, unknown>[] } | undefined)?.items ?? []).map((l) => ({
    itemId: String((l.item as { id?: string } | undefined)?.id ?? ''),
    amount: amountOf(l.amount, currency),
  }));
  const tenderItems: { kind: TenderKind; item: string; amount: number }[] = [];
  let recordTotal = 0;
  for (const l of items) {
    recordTotal += l.amount;
    const kind: TenderKind | undefined =
      l.itemId && l.itemId === options.tenderItems.store_credit
        ? 'store_credit'
        : l.itemId && l.itemId === options.tenderItems.gift_card
          ? 'gift_card'
          : undefined;
    if (kind && l.amount < 0) tenderItems.push({ kind, item: l.itemId, amount: -l.amount });
  }
  if (main.recordType === 'customerRefund') {
    const total = amountOf(body.total, currency);
    const m = methodOf(body);
    return (
      netsuiteTenders(
        {
          recordType: 'customerRefund',
          recordTotal: total,
          paymentMethod: m.name,
          paymentMethodId: m.id,
          amountRemaining: undefined,
          memoStatus: undefined,
          applications: [],
          tenderItems: [],
        },
        kinds,
      ) ?? defaultTenders({ recordType: 'customerRefund', total })
    );
  }
  const total = recordTotal + tenderItems.reduce((s, t) => s + t.amount, 0);
  if (main.recordType === 'cashRefund') {
    const m = methodOf(body);
    return (
      netsuiteTenders(
        {
          recordType: 'cashRefund',
          recordTotal,
          paymentMethod: m.name,
          paymentMethodId: m.id,
          amountRemaining: undefined,
          memoStatus: undefined,
          applications: [],
          tenderItems,
        },
        kinds,
      ) ?? defaultTenders({ recordType: 'cashRefund', total })
    );
  }
  // Credit Memo: paid out by the Customer Refund that applies it, or left open.
  const payout = build.writes.find((w) => w.recordType === 'customerRefund');
  const payoutBody = (payout?.body ?? {}) as Record<string, unknown>;
  const paid = payout ? amountOf(payoutBody.total, currency) : 0;
  const out: Tender[] = tenderItems.map((t) => tender(t.kind, t.item, t.amount));
  if (paid > 0) {
    const m = methodOf(payoutBody);
    out.push(tender(m.name ? kinds.method(m.name, m.id) : 'other', m.name, paid, 'paid_out'));
  }
  const open = recordTotal - paid;
  if (open > 0) out.push(tender('store_credit', 'open-credit', open, 'open'));
  return out;
}

/** Storefront → NetSuite: the record read back against the storefront refund's tenders. */
export function netsuiteTenderCheck(
  source: CanonicalRefund,
  build: NetsuiteBuild,
  options: Pick<SyncOptions, 'paymentMethods' | 'tenderItems'>,
): Check {
  return check(sourceTenders(source, build.currency), netsuiteReadBack(build, options), build.currency, false);
}

/** The storefront request read back as the storefront importer would see the refund's tenders. */
export function storefrontReadBack(write: StorefrontWrite, currency: string): Tender[] {
  const out: Tender[] = [];
  if (write.kind === 'shopify_refund_create') {
    const input = (write.body.variables as { input: Record<string, unknown> }).input;
    for (const t of (input.transactions as { gateway?: string; amount?: string }[] | undefined) ?? []) {
      const amount = amountOf(t.amount, currency);
      if (amount > 0) out.push(tender(shopifyGatewayKind(t.gateway ?? '', false), t.gateway ?? '', amount));
    }
    // Shopify answers a store-credit refund method with a REFUND transaction on `shopify_store_credit` [S1].
    for (const m of (input.refundMethods as { storeCreditRefund?: { amount?: { amount?: string } } }[] | undefined) ??
      []) {
      const amount = amountOf(m.storeCreditRefund?.amount?.amount, currency);
      if (amount > 0) out.push(tender('store_credit', 'shopify_store_credit', amount));
    }
  } else if (write.kind === 'bigcommerce_refund') {
    for (const p of (write.body.payments as { provider_id?: string; amount?: number; offline?: boolean }[]) ?? []) {
      const amount = amountOf(p.amount, currency);
      if (amount > 0)
        out.push(tender(bigcommercePaymentKind(p.provider_id ?? '', p.offline === true), p.provider_id ?? '', amount));
    }
  } else if (write.kind === 'woocommerce_refund') {
    // `api_refund: false`: recorded, not paid by the gateway; the importer reads it as `other` / manual (§1.2).
    const amount = amountOf(write.body.amount, currency);
    if (amount > 0) out.push(tender('other', 'manual', amount));
  }
  return out;
}

/** NetSuite → storefront: the request read back against the NetSuite record's tenders. */
export function storefrontTenderCheck(source: CanonicalRefund, build: StorefrontBuild, write: StorefrontWrite): Check {
  if (write.kind === 'magento_refund') {
    return {
      name: 'tender',
      ok: true,
      expected: kindWords(source.tenders, source.currency),
      found: 'an offline credit memo',
      message: 'Magento computes the refund from the credit memo; tender unverified.',
    };
  }
  return check(source.tenders, storefrontReadBack(write, build.currency), build.currency, true);
}
