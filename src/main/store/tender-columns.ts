import {
  type CanonicalRefund,
  type CreditApplication,
  defaultTenders,
  type RecordType,
  type RefundExchange,
  type Tender,
} from '../../shared/model';
import { jsonString } from './json-text';

/**
 * `refunds.tenders` and `refunds.credit_detail` (migration 015): JSON text, NULL for the defaults,
 * so the common cases cost nothing to write and rows written before 015 read as the defaults.
 */

type TenderFields = Pick<CanonicalRefund, 'recordType' | 'total' | 'tenders'>;

/**
 * Whether the tenders are `defaultTenders(refund)`: none for a Return Authorization or a total of
 * at most zero, else one `other` tender of the total. Decided without building the default (an
 * array and an object per refund, on every import's hot path).
 */
export function sameAsDefault(refund: TenderFields): boolean {
  const t = refund.tenders;
  if (refund.recordType === 'returnAuthorization' || refund.total <= 0) return t.length === 0;
  if (t.length !== 1) return false;
  const a = t[0]!;
  return (
    a.kind === 'other' &&
    a.gateway === '' &&
    a.amount === refund.total &&
    a.presentmentAmount === null &&
    a.state === 'settled' &&
    a.ref === ''
  );
}

/** The `tenders` column's text: JSON, or null when the tenders are the default. */
export function tendersText(refund: TenderFields): string | null {
  return sameAsDefault(refund) ? null : tendersJson(refund.tenders);
}

/** The keys of a Tender in schema order: the order every importer builds them in. */
export const TENDER_KEYS = ['kind', 'gateway', 'amount', 'presentmentAmount', 'state', 'ref'] as const;

/**
 * JSON.stringify(tenders), written by hand for the usual array of plain Tender objects (their
 * keys in schema order, strings and integer amounts): JSON.stringify of the small objects was
 * ~4 % of the rich one-shot's NDJSON thread. Anything else is left to JSON.stringify.
 */
export function tendersJson(tenders: readonly Tender[]): string {
  let out = '[';
  for (let i = 0; i < tenders.length; i++) {
    const t = tenders[i];
    const one = t === undefined ? undefined : tenderJson(t);
    if (one === undefined) return JSON.stringify(tenders);
    out += i === 0 ? one : `,${one}`;
  }
  return `${out}]`;
}

/**
 * A plain object whose keys are exactly TENDER_KEYS, in that order: what the schema's parse builds,
 * and so what the hand-written JSON (`tenderJson`) and the compact table (tender-parts.ts) may take
 * without JSON.stringify.
 */
export function hasTenderKeysInOrder(t: unknown): boolean {
  if (typeof t !== 'object' || t === null || Object.getPrototypeOf(t) !== Object.prototype) return false;
  let k = 0;
  for (const key in t) {
    if (key !== TENDER_KEYS[k]) return false;
    k++;
  }
  return k === TENDER_KEYS.length;
}

function tenderJson(t: Tender): string | undefined {
  if (!hasTenderKeysInOrder(t)) return undefined;
  const { kind, gateway, amount, presentmentAmount, state, ref } = t;
  if (
    typeof kind !== 'string' ||
    typeof gateway !== 'string' ||
    typeof state !== 'string' ||
    typeof ref !== 'string' ||
    !Number.isSafeInteger(amount) ||
    (presentmentAmount !== null && !Number.isSafeInteger(presentmentAmount))
  ) {
    return undefined;
  }
  return `{"kind":${jsonString(kind)},"gateway":${jsonString(gateway)},"amount":${amount},"presentmentAmount":${presentmentAmount},"state":${jsonString(state)},"ref":${jsonString(ref)}}`;
}

/** Reads the column back (null, or text this app wrote); anything else reads as the default. */
export function parseTenders(text: unknown, refund: { recordType: RecordType; total: number }): Tender[] {
  if (typeof text === 'string' && text !== '') {
    try {
      const v = JSON.parse(text) as Tender[];
      if (Array.isArray(v)) return v;
    } catch {
      // fall through to the default
    }
  }
  return defaultTenders(refund);
}

type CreditFields = Pick<CanonicalRefund, 'side' | 'total' | 'amountRemaining' | 'applications' | 'recordTotal'> & {
  bodyFlags?: string[] | undefined;
  exchange?: RefundExchange | null | undefined;
};

/** Default record total: the total on NetSuite records, null on storefront ones. */
function defaultRecordTotal(refund: Pick<CanonicalRefund, 'side' | 'total'>): number | null {
  return refund.side === 'netsuite' ? refund.total : null;
}

/** The `credit_detail` column's text, or null when every field has its default. */
export function creditDetailText(refund: CreditFields): string | null {
  if (
    refund.amountRemaining === null &&
    refund.applications.length === 0 &&
    refund.recordTotal === defaultRecordTotal(refund) &&
    !refund.bodyFlags?.length &&
    !refund.exchange
  ) {
    return null;
  }
  return JSON.stringify({
    amountRemaining: refund.amountRemaining,
    applications: refund.applications,
    recordTotal: refund.recordTotal,
    ...(refund.bodyFlags?.length ? { bodyFlags: refund.bodyFlags } : {}),
    // The storefront's exchange block (tenders.md §4.1) rides in the same column: no migration.
    ...(refund.exchange ? { exchange: refund.exchange } : {}),
  });
}

export interface CreditDetail {
  amountRemaining: number | null;
  applications: CreditApplication[];
  recordTotal: number | null;
  bodyFlags?: string[];
  exchange?: RefundExchange | null;
}

/** Reads `credit_detail` back; null or unreadable text gives the defaults. */
export function parseCreditDetail(text: unknown, refund: Pick<CanonicalRefund, 'side' | 'total'>): CreditDetail {
  if (typeof text === 'string' && text !== '') {
    try {
      const v = JSON.parse(text) as CreditDetail;
      if (v && Array.isArray(v.applications)) {
        return {
          amountRemaining: v.amountRemaining ?? null,
          applications: v.applications,
          recordTotal: v.recordTotal ?? null,
          ...(Array.isArray(v.bodyFlags) && v.bodyFlags.length > 0 ? { bodyFlags: v.bodyFlags } : {}),
          ...(v.exchange ? { exchange: v.exchange } : {}),
        };
      }
    } catch {
      // fall through to the defaults
    }
  }
  return { amountRemaining: null, applications: [], recordTotal: defaultRecordTotal(refund) };
}

/**
 * The select list for the two columns: the columns on a workspace at migration 015 or later,
 * NULLs (the defaults) on an older schema (migration tests compare on the schema they migrate from).
 */
export function tenderColumnsSql(db: { prepare(sql: string): { all(): unknown[] } }, table = ''): string {
  // Only "has them" is remembered per connection: a migration can add the columns to an open
  // connection, and none removes them (migrations are append-only). The pragma query cost ~0.1 ms,
  // paid per hydrated batch of a comparison before.
  let has = HAS_TENDER_COLUMNS.has(db);
  if (!has) {
    const names = db.prepare("SELECT name FROM pragma_table_info('refunds')").all() as Array<{ name: string }>;
    has = names.some((c) => c.name === 'tenders');
    if (has) HAS_TENDER_COLUMNS.add(db);
  }
  return has ? `${table}tenders, ${table}credit_detail` : 'NULL AS tenders, NULL AS credit_detail';
}

const HAS_TENDER_COLUMNS = new WeakSet<object>();
