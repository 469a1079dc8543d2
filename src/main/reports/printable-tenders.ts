import type { ResultCode } from '../../shared/codes';
import { parseAmountOrThrow } from '../../shared/money';
import { displayAmount } from './cells';
import type { ReportRow, ReportTenderClass, ReportTenders } from './report-model';

/**
 * The tender columns of the printable summary (tenders.md §6): what the CSV and XLSX reports carry
 * as `Storefront tenders`, `NetSuite tenders`, `Tender split`, `Exchange` and `Chargeback`, in an
 * accountant's words — kinds and states named as the review names them (components/tender-detail.tsx),
 * amounts with their currency and grouping (`USD 1,234.56`), never identifiers or minor units.
 * Plain text: the printable escapes it.
 */

const KIND_WORDS: Record<string, string> = {
  card: 'card or payment gateway',
  cash: 'cash or cheque',
  store_credit: 'store credit',
  gift_card: 'gift card',
  exchange: 'exchange credit',
  other: 'not stated',
};

/** Where a NetSuite part stands (Credit Memo parts); `settled` needs no words. */
const STATE_WORDS: Record<string, string> = {
  paid_out: 'paid out',
  applied: 'applied to an invoice',
  open: 'still open',
};

const CLASS_WORDS: Record<ReportTenderClass, string> = {
  money: 'money',
  stored_value: 'store credit and gift cards',
  exchange: 'exchange credit',
  other: 'not stated',
};

const DISPUTE_STATUS_WORDS: Record<string, string> = {
  needs_response: 'needs a response',
  under_review: 'under review',
  accepted: 'accepted',
  won: 'won',
  lost: 'lost',
  prevented: 'prevented',
};

/** What the two split codes say in the Tender problem column (the review filter's words). */
const PROBLEM_WORDS: Partial<Record<ResultCode, string>> = {
  tender_mismatch: 'Paid back differently',
  credit_not_paid_out: 'Credit not paid out',
};

function money(minor: number, currency: string): string {
  try {
    return displayAmount(minor, currency);
  } catch {
    return `${currency} ${minor}`;
  }
}

/** A dispute's amount as Shopify gave it (decimal text), shown like every other amount. */
function decimalMoney(text: string, currency: string): string {
  try {
    return displayAmount(parseAmountOrThrow(text, currency), currency);
  } catch {
    return `${currency} ${text}`;
  }
}

function capitalised(text: string): string {
  return text === '' ? text : text[0]!.toUpperCase() + text.slice(1);
}

/**
 * One side's tenders, summed per kind (and, on the NetSuite side, per state) in the order the source
 * gives them: `Card or payment gateway USD 20.00; store credit USD 30.00 still open`.
 */
export function paidBackText(
  tenders: ReadonlyArray<{ kind: string; amount: number; state?: string }>,
  currency: string,
): string {
  const sums = new Map<string, { kind: string; state: string; amount: number }>();
  for (const t of tenders) {
    const state = t.state && STATE_WORDS[t.state] ? t.state : '';
    const key = `${t.kind}\u0000${state}`;
    const entry = sums.get(key);
    if (entry) entry.amount += t.amount;
    else sums.set(key, { kind: t.kind, state, amount: t.amount });
  }
  const parts = [...sums.values()].map(
    (s) => `${KIND_WORDS[s.kind] ?? s.kind} ${money(s.amount, currency)}${s.state ? ` ${STATE_WORDS[s.state]}` : ''}`,
  );
  return capitalised(parts.join('; '));
}

/** The classes whose two sides differ: `store credit and gift cards: storefront USD 50.00, NetSuite USD 0.00`. */
function splitDifferences(byClass: ReportTenders['byClass'], currency: string): string {
  const side = (minor: number | null) => (minor === null ? 'no record' : money(minor, currency));
  return byClass
    .filter((c) => c.storefront !== null && c.netsuite !== null && c.storefront !== c.netsuite)
    .map((c) => `${CLASS_WORDS[c.class]}: storefront ${side(c.storefront)}, NetSuite ${side(c.netsuite)}`)
    .join('; ');
}

function exchangeText(exchange: NonNullable<ReportTenders['exchange']>, currency: string): string {
  const exchanged =
    exchange.exchanged === null
      ? 'exchange items not in the export'
      : `exchange items ${money(exchange.exchanged, currency)}`;
  const due =
    exchange.balanceDue !== null && exchange.balanceDue > 0
      ? `, the customer owes ${money(exchange.balanceDue, currency)}`
      : '';
  return `Exchange (return ${exchange.returnId}): items returned ${money(exchange.returned, currency)}, ${exchanged}${due}`;
}

function disputeText(dispute: NonNullable<ReportTenders['dispute']>, currency: string): string {
  const kind = dispute.type === 'inquiry' ? 'Inquiry' : 'Chargeback';
  const status = DISPUTE_STATUS_WORDS[dispute.status] ?? dispute.status.replace(/_/g, ' ');
  const amount = dispute.amount === null ? '' : `, ${decimalMoney(dispute.amount, currency)}`;
  return `${kind} ${dispute.id}: ${status}${amount}`;
}

/**
 * The row's tender problem: the tender code in words with what differs (the classes that do not
 * agree, the credit still open), then any exchange and chargeback on the result. Empty when the
 * result has none (a plain match, or a run stored before tenders were compared).
 */
export function tenderProblemText(row: ReportRow): string {
  const t = row.tenders;
  if (!t) return '';
  const parts: string[] = [];
  const label = PROBLEM_WORDS[row.code];
  if (row.code === 'tender_mismatch' || row.code === 'credit_not_paid_out') {
    const differs = splitDifferences(t.byClass, row.currency);
    const open = t.netsuite.filter((n) => n.state === 'open').reduce((sum, n) => sum + n.amount, 0);
    const detail =
      row.code === 'credit_not_paid_out' && open > 0 ? `${money(open, row.currency)} still open in NetSuite` : differs;
    parts.push(detail ? `${label}: ${detail}` : label!);
  }
  if (t.exchange) parts.push(exchangeText(t.exchange, row.currency));
  if (t.dispute) parts.push(disputeText(t.dispute, row.currency));
  return parts.join('. ');
}

/** The printable's per-currency, per-class totals: the same words as the rows. */
export function classWords(c: ReportTenderClass): string {
  return capitalised(CLASS_WORDS[c]);
}
