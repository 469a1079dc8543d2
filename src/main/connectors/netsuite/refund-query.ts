import { UserError } from '../../../shared/errors';

/**
 * The SuiteQL that pulls refund records: one row per transaction line (the main line carries the
 * header: total, created-from, applied credit), ordered by internal id then line id so pages are
 * stable and a record's rows are contiguous. SuiteQL has no bind parameters, so every value placed
 * in the text is validated first (dates ISO, ids integers, field names from a closed pattern).
 */

export const REFUND_TYPES = ['CashRfnd', 'CustCred', 'CustRfnd'] as const;

export interface RefundQueryFilter {
  /** Transaction date from (inclusive), YYYY-MM-DD. */
  from?: string;
  /** Transaction date to (inclusive), YYYY-MM-DD. */
  to?: string;
  /** Only records modified on or after this date (incremental pulls). */
  modifiedSince?: string;
  /** Header column that carries the storefront order number. Default `otherrefnum`. */
  orderRefField?: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const FIELD = /^(otherrefnum|memo|externalid|custbody_[a-z0-9_]{1,60})$/;

function date(value: string, name: string): string {
  if (!ISO.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new UserError('pull_window', `${name}: expected a date as YYYY-MM-DD, found "${value.slice(0, 40)}".`, {
      field: name,
    });
  }
  return value;
}

export function orderRefField(filter: RefundQueryFilter): string {
  const field = (filter.orderRefField ?? 'otherrefnum').toLowerCase();
  if (!FIELD.test(field)) {
    throw new UserError(
      'netsuite_order_ref_field',
      `"${filter.orderRefField}" cannot be used as the order reference field: expected otherrefnum, memo, externalid or a custbody_… field ID.`,
      { field: 'orderRefField' },
    );
  }
  return field;
}

export function refundWhere(filter: RefundQueryFilter, range?: { lo: number; hi: number }): string {
  const parts = [`t.type IN (${REFUND_TYPES.map((t) => `'${t}'`).join(', ')})`];
  if (filter.from) parts.push(`t.trandate >= TO_DATE('${date(filter.from, 'from')}', 'YYYY-MM-DD')`);
  if (filter.to) parts.push(`t.trandate <= TO_DATE('${date(filter.to, 'to')}', 'YYYY-MM-DD')`);
  if (filter.modifiedSince) {
    parts.push(`t.lastmodifieddate >= TO_DATE('${date(filter.modifiedSince, 'modifiedSince')}', 'YYYY-MM-DD')`);
  }
  if (range) {
    if (!Number.isSafeInteger(range.lo) || !Number.isSafeInteger(range.hi)) throw new RangeError('bad id range');
    parts.push(`t.id BETWEEN ${range.lo} AND ${range.hi}`);
  }
  return parts.join(' AND ');
}

const FROM = 'FROM transaction t INNER JOIN transactionline tl ON tl.transaction = t.id';

/**
 * Rows, lo and hi internal id of everything the filter selects. With the payment-method column
 * (tenders.md §1.4 [unconfirmed column]) the count doubles as its probe: an account whose SuiteQL
 * does not have it refuses the count ("Invalid search query … Search error occurred: Field
 * 'paymentmethod' … was not found", HTTP 400, as public SuiteQL clients that drop unsearchable
 * fields read it), and the pull counts again and runs without it.
 */
export function refundStatsQuery(
  filter: RefundQueryFilter,
  columns: RefundRowColumns = { paymentMethod: true },
): string {
  const probe = columns.paymentMethod ? ', MAX(BUILTIN.DF(t.paymentmethod)) AS paymentmethod' : '';
  return `SELECT COUNT(*) AS n, MIN(t.id) AS lo, MAX(t.id) AS hi${probe} ${FROM} WHERE ${refundWhere(filter)}`;
}

/** Row counts per bucket of `width` internal ids starting at `lo` (for windows under the 100,000-row cap). */
export function refundHistogramQuery(filter: RefundQueryFilter, lo: number, hi: number, width: number): string {
  const bucket = `FLOOR((t.id - ${lo}) / ${width})`;
  return `SELECT ${bucket} AS b, COUNT(*) AS n ${FROM} WHERE ${refundWhere(filter, { lo, hi })} GROUP BY ${bucket} ORDER BY ${bucket}`;
}

/**
 * Optional columns of the rows query. `paymentMethod`: `BUILTIN.DF(t.paymentmethod)`, the payment
 * method's name (tenders.md §1.4, [unconfirmed column]); an account that refuses it is pulled
 * without it (see refundStatsQuery) and its payment methods are then unknown (`other`).
 */
export interface RefundRowColumns {
  paymentMethod: boolean;
}

export function refundRowsQuery(
  filter: RefundQueryFilter,
  range: { lo: number; hi: number },
  columns: RefundRowColumns = { paymentMethod: true },
): string {
  const ref = orderRefField(filter);
  return [
    'SELECT t.id AS id, t.tranid AS tranid, t.type AS type,',
    "TO_CHAR(t.trandate, 'YYYY-MM-DD') AS trandate, cur.symbol AS currency, t.foreigntotal AS foreigntotal,",
    `t.externalid AS externalid, t.memo AS memo, t.${ref} AS orderref, t.voided AS voided,`,
    // Tenders (tenders.md §1.4): the status (CustCred:A Open, CustCred:B Fully Applied, CustCred:V
    // Voided [code S15]) and, when the account has it, the payment method's name.
    `t.status AS status,${columns.paymentMethod ? ' BUILTIN.DF(t.paymentmethod) AS paymentmethod,' : ''}`,
    'tl.id AS lineid, tl.mainline AS mainline, tl.taxline AS taxline, tl.item AS itemref, it.itemid AS item,',
    'tl.itemtype AS itemtype,',
    'tl.quantity AS quantity, tl.foreignamount AS foreignamount, tl.memo AS linememo,',
    'tl.createdfrom AS createdfromid, src.tranid AS createdfromtranid, src.type AS createdfromtype,',
    '(SELECT MIN(ptl.previousdoc) FROM previoustransactionlink ptl WHERE ptl.nextdoc = t.id) AS appliesto',
    FROM,
    'INNER JOIN currency cur ON cur.id = t.currency',
    'LEFT JOIN item it ON it.id = tl.item',
    'LEFT JOIN transaction src ON src.id = tl.createdfrom',
    `WHERE ${refundWhere(filter, range)}`,
    'ORDER BY t.id, tl.id',
  ].join(' ');
}

/**
 * The second query (tenders.md §1.4): every `PreviousTransactionLink` of every Credit Memo the
 * filter selects, in both directions (the memo as `previousdoc` — a Customer Refund paying it out
 * — or as `nextdoc` — an Invoice it is applied to; that direction is [unconfirmed], so both are
 * read), with the other document's type, number, date, total, voided flag and, when asked, payment
 * method, and the memo's own created-from (to tell the Invoice it was made from). Ordered by memo
 * id like the rows query, so the two streams merge without holding either.
 */
const LINK_FROM = [
  'FROM transaction t',
  'INNER JOIN previoustransactionlink ptl ON (ptl.previousdoc = t.id OR ptl.nextdoc = t.id)',
  'INNER JOIN transaction o ON o.id = (CASE WHEN ptl.previousdoc = t.id THEN ptl.nextdoc ELSE ptl.previousdoc END)',
].join(' ');

function linkWhere(filter: RefundQueryFilter, range?: { lo: number; hi: number }): string {
  return `${refundWhere(filter, range)} AND t.type = 'CustCred'`;
}

export function memoLinkStatsQuery(filter: RefundQueryFilter): string {
  return `SELECT COUNT(*) AS n, MIN(t.id) AS lo, MAX(t.id) AS hi ${LINK_FROM} WHERE ${linkWhere(filter)}`;
}

export function memoLinkHistogramQuery(filter: RefundQueryFilter, lo: number, hi: number, width: number): string {
  const bucket = `FLOOR((t.id - ${lo}) / ${width})`;
  return `SELECT ${bucket} AS b, COUNT(*) AS n ${LINK_FROM} WHERE ${linkWhere(filter, { lo, hi })} GROUP BY ${bucket} ORDER BY ${bucket}`;
}

export function memoLinkRowsQuery(
  filter: RefundQueryFilter,
  range: { lo: number; hi: number },
  columns: RefundRowColumns = { paymentMethod: true },
): string {
  return [
    'SELECT t.id AS memo, ptl.previousdoc AS previousdoc, ptl.nextdoc AS nextdoc, ptl.linktype AS linktype,',
    'ptl.foreignamount AS foreignamount, o.id AS otherid, o.type AS othertype, o.tranid AS othertranid,',
    "TO_CHAR(o.trandate, 'YYYY-MM-DD') AS otherdate, o.foreigntotal AS othertotal, o.voided AS othervoided,",
    columns.paymentMethod ? 'BUILTIN.DF(o.paymentmethod) AS otherpaymentmethod,' : '',
    "(SELECT MIN(mtl.createdfrom) FROM transactionline mtl WHERE mtl.transaction = t.id AND mtl.mainline = 'T') AS memocreatedfrom",
    LINK_FROM,
    `WHERE ${linkWhere(filter, range)}`,
    'ORDER BY t.id, o.id, ptl.linktype',
  ]
    .filter((part) => part !== '')
    .join(' ');
}
