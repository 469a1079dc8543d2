import { formatAmount } from '../../shared/money';
import type { ReportRow, ReportTenderClass, ReportTenders } from './report-model';

/**
 * The tender columns of the CSV and XLSX reports (tenders.md §6): each side's tenders per kind in
 * the CLI's notation (`card 20.00; store_credit 30.00`), the split per class side by side, the
 * exchange and the chargeback. Plain text cells: the exporters clean and neutralise them like any
 * other free text. Empty when the row has no tenders (a run stored before tenders were compared).
 */

export const TENDER_COLUMNS = [
  { key: 'storefrontTenders', header: 'Storefront tenders', width: 30 },
  { key: 'netsuiteTenders', header: 'NetSuite tenders', width: 30 },
  { key: 'tenderSplit', header: 'Tender split (storefront / NetSuite)', width: 44 },
  { key: 'exchange', header: 'Exchange', width: 40 },
  { key: 'chargeback', header: 'Chargeback', width: 30 },
] as const;
export type TenderColumnKey = (typeof TENDER_COLUMNS)[number]['key'];

export const CLASS_WORDS: Record<ReportTenderClass, string> = {
  money: 'money',
  stored_value: 'store credit & gift cards',
  exchange: 'exchange',
  other: 'not stated',
};

function amount(minor: number, currency: string): string {
  try {
    return formatAmount(minor, currency);
  } catch {
    return String(minor);
  }
}

/** `card 20.00; store_credit 30.00`: per kind, summed, in order of first appearance (as the CLI's CSV). */
export function perKind(tenders: ReportTenders['storefront'], currency: string): string {
  const sums = new Map<string, number>();
  for (const t of tenders) sums.set(t.kind, (sums.get(t.kind) ?? 0) + t.amount);
  return [...sums].map(([kind, minor]) => `${kind} ${amount(minor, currency)}`).join('; ');
}

/** `money 20.00 / 20.00; store credit & gift cards 30.00 / 0.00` (a side with no record: `—`). */
export function splitText(byClass: ReportTenders['byClass'], currency: string): string {
  const side = (minor: number | null) => (minor === null ? '—' : amount(minor, currency));
  return byClass.map((c) => `${CLASS_WORDS[c.class]} ${side(c.storefront)} / ${side(c.netsuite)}`).join('; ');
}

export function exchangeText(exchange: ReportTenders['exchange'], currency: string): string {
  if (!exchange) return '';
  const exchanged =
    exchange.exchanged === null ? 'exchanged not in the export' : `exchanged ${amount(exchange.exchanged, currency)}`;
  const due =
    exchange.balanceDue !== null && exchange.balanceDue > 0
      ? `, customer owes ${amount(exchange.balanceDue, currency)}`
      : '';
  return `return ${exchange.returnId}: returned ${amount(exchange.returned, currency)}, ${exchanged}${due}`;
}

export function disputeText(dispute: ReportTenders['dispute']): string {
  if (!dispute) return '';
  return `${dispute.type} ${dispute.id}, ${dispute.status.replace('_', ' ')}${dispute.amount === null ? '' : `, ${dispute.amount}`}`;
}

/** One tender cell's text (before cleaning and neutralising). */
export function tenderCell(row: ReportRow, key: TenderColumnKey): string {
  const t = row.tenders;
  if (!t) return '';
  switch (key) {
    case 'storefrontTenders':
      return perKind(t.storefront, row.currency);
    case 'netsuiteTenders':
      return perKind(t.netsuite, row.currency);
    case 'tenderSplit':
      return splitText(t.byClass, row.currency);
    case 'exchange':
      return exchangeText(t.exchange, row.currency);
    case 'chargeback':
      return disputeText(t.dispute);
  }
}
