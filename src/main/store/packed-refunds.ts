import type { CanonicalRefund } from '../../shared/model';
import { presentmentPartsText } from './presentment-parts';
import { creditDetailText, tendersText } from './tender-columns';

/**
 * The packed form of refunds that crosses threads in the parallel import (parse thread → writing
 * thread): flat arrays of primitives, so structured cloning is a tight native loop with no object
 * trees or property names. Two things keep the clone (and the garbage on both sides) small:
 *
 * - **Codes for repeated text.** Record type, created-from type, date, currency, kind, status,
 *   presentment currency and line role take few distinct values: each is sent as a number into a
 *   dictionary that grows with the stream (`dict`: the strings first used in a batch, in code
 *   order; code 0 is null). A 1M-refund import sends ~12M strings instead of ~24M.
 * - **Nothing the writer can derive.** The order key (`normaliseOrderRef`) and the line summary
 *   are computed by the writer from the values it receives, which also takes them off the parse
 *   thread, the longer of the two.
 *
 * Per refund PACKED_REFUND_WIDTH values (the order of PACKED_REFUND_FIELDS), then per line of it
 * PACKED_LINE_WIDTH values (PACKED_LINE_FIELDS).
 */
export interface PackedBatch {
  /** Refunds in this batch. */
  count: number;
  refunds: unknown[];
  lines: unknown[];
  /** Dictionary entries first used in this batch (their codes follow the previous batch's). */
  dict: string[];
}

export const PACKED_REFUND_FIELDS = [
  'source_id',
  'document_number',
  'record_type*',
  'order_ref',
  'created_from_type*',
  'created_from_ref',
  'date*',
  'currency*',
  'total',
  'shipping',
  'tax',
  'adjustment',
  'kind*',
  'external_id',
  'memo',
  'is_test',
  'status*',
  'applies_to',
  'money_moved',
  'presentment_currency*',
  'presentment_total',
  // JSON text of presentment.parts (migration 009), or null: rare, so sent as it is stored.
  'presentment_parts',
  'lines_exported',
  // JSON text of tenders / credit detail (migration 015), or null for the defaults: sent as stored.
  'tenders',
  'credit_detail',
  'line_count',
] as const;
/** `*`: a dictionary code. */
export const PACKED_LINE_FIELDS = ['sku', 'description', 'quantity', 'amount', 'tax', 'role*'] as const;
export const PACKED_REFUND_WIDTH = PACKED_REFUND_FIELDS.length;
export const PACKED_LINE_WIDTH = PACKED_LINE_FIELDS.length;

/**
 * A refund of one flat canonical CSV row (importers/canonical-csv-flat.ts), already checked by the
 * reader: no lines, created-from, presentment, shipping, tax, adjustment, tenders or credit detail,
 * and every value what the canonical schema accepts (`status` with its default applied).
 */
export interface FlatRefundFields {
  id: string;
  documentNumber: string;
  recordType: string;
  orderRef: string;
  date: string;
  currency: string;
  total: number;
  kind: string;
  externalId: string;
  memo: string;
  isTest: boolean;
  status: string;
  appliesTo: string;
  moneyMoved: boolean;
}

/**
 * Parse-thread side: packs validated refunds, assigning dictionary codes as values first appear.
 *
 * The value arrays are reused batch after batch, written by index: a batch `take` returns is
 * valid until the next `add`, `addFlat` or `take` (postMessage copies it at once; a caller that
 * keeps batches copies them). Why: pushing 26 values a refund into fresh arrays, grown batch
 * after batch, cost ~0.7 s per 1M refunds and their garbage; writing into arrays of the right
 * size ~0.15 s (a scratch benchmark of addFlat, docs/benchmarks/import.md, session 8).
 */
export class RefundPacker {
  private readonly codes = new Map<string, number>();
  private newEntries: string[] = [];
  private refunds: unknown[] = [];
  private lines: unknown[] = [];
  /** Values of this batch in `refunds` and `lines` (the arrays may be longer: an earlier batch's). */
  private refundsUsed = 0;
  private linesUsed = 0;
  count = 0;
  /** Where the last refund added starts in `refunds` and `lines` (dropLast). */
  private lastRefundAt = -1;
  private lastLineAt = 0;

  /** Room for `width` more values of this batch in `values` from `used`, grown (with pushes: packed) when short. */
  private static room(values: unknown[], used: number, width: number): void {
    while (values.length < used + width) values.push(0);
  }

  /** Where the next refund's values go in `refunds` (room made; dropLast will take it back from there). */
  private startRefund(): number {
    const at = this.refundsUsed;
    RefundPacker.room(this.refunds, at, PACKED_REFUND_WIDTH);
    this.lastRefundAt = at;
    this.lastLineAt = this.linesUsed;
    return at;
  }

  private code(value: string | null): number {
    if (value === null) return 0;
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.codes.size + 1;
      this.codes.set(value, code);
      this.newEntries.push(value);
    }
    return code;
  }

  add(refund: CanonicalRefund): void {
    const createdFrom = refund.createdFrom;
    const presentment = refund.presentment;
    const refundLines = refund.lines;
    // The codes first, in the order of PACKED_REFUND_FIELDS (a new value's code is its first use's).
    const recordType = this.code(refund.recordType);
    const createdFromType = this.code(createdFrom ? createdFrom.type : null);
    const date = this.code(refund.date);
    const currency = this.code(refund.currency);
    const kind = this.code(refund.kind);
    const status = this.code(refund.status);
    const presentmentCurrency = this.code(presentment ? presentment.currency : null);
    const parts = presentmentPartsText(refund);
    const tenders = tendersText(refund);
    const creditDetail = creditDetailText(refund);
    const v = this.refunds;
    let k = this.startRefund();
    v[k++] = refund.id;
    v[k++] = refund.documentNumber;
    v[k++] = recordType;
    v[k++] = refund.orderRef;
    v[k++] = createdFromType;
    v[k++] = createdFrom ? createdFrom.ref : null;
    v[k++] = date;
    v[k++] = currency;
    v[k++] = refund.total;
    v[k++] = refund.shipping;
    v[k++] = refund.tax;
    v[k++] = refund.adjustment;
    v[k++] = kind;
    v[k++] = refund.externalId;
    v[k++] = refund.memo;
    v[k++] = refund.isTest ? 1 : 0;
    v[k++] = status;
    v[k++] = refund.appliesTo;
    v[k++] = refund.moneyMoved ? 1 : 0;
    v[k++] = presentmentCurrency;
    v[k++] = presentment ? presentment.total : null;
    v[k++] = parts;
    v[k++] = refund.linesExported === false ? 0 : 1;
    v[k++] = tenders;
    v[k++] = creditDetail;
    v[k++] = refundLines.length;
    this.refundsUsed = k;
    const l = this.lines;
    let j = this.linesUsed;
    for (let i = 0; i < refundLines.length; i++) {
      const line = refundLines[i]!;
      const role = this.code(line.role);
      RefundPacker.room(l, j, PACKED_LINE_WIDTH);
      l[j++] = line.sku;
      l[j++] = line.description;
      l[j++] = line.quantity;
      l[j++] = line.amount;
      l[j++] = line.tax;
      l[j++] = role;
    }
    this.linesUsed = j;
    this.count++;
  }

  /**
   * Packs a flat row's refund: exactly the values add() packs for the refund the canonical CSV
   * importer and acceptRefund make of that row (the defaults of every column the row leaves out;
   * default tenders and credit detail are stored as null), without building it. The dictionary
   * codes are taken in add()'s order. A property test compares the two.
   */
  addFlat(v: FlatRefundFields): void {
    const recordType = this.code(v.recordType);
    const date = this.code(v.date);
    const currency = this.code(v.currency);
    const kind = this.code(v.kind);
    const status = this.code(v.status);
    const p = this.refunds;
    let k = this.startRefund();
    p[k++] = v.id;
    p[k++] = v.documentNumber;
    p[k++] = recordType;
    p[k++] = v.orderRef;
    p[k++] = 0;
    p[k++] = null;
    p[k++] = date;
    p[k++] = currency;
    p[k++] = v.total;
    p[k++] = 0;
    p[k++] = 0;
    p[k++] = 0;
    p[k++] = kind;
    p[k++] = v.externalId;
    p[k++] = v.memo;
    p[k++] = v.isTest ? 1 : 0;
    p[k++] = status;
    p[k++] = v.appliesTo;
    p[k++] = v.moneyMoved ? 1 : 0;
    p[k++] = 0;
    p[k++] = null;
    p[k++] = null;
    p[k++] = 1;
    p[k++] = null;
    p[k++] = null;
    p[k++] = 0;
    this.refundsUsed = k;
    this.count++;
  }

  /**
   * Takes back the last refund added, when it is still in this batch (true). Dictionary entries it
   * introduced stay: they still travel with the batch, and later refunds may use them.
   */
  dropLast(): boolean {
    if (this.count === 0 || this.lastRefundAt < 0) return false;
    this.refundsUsed = this.lastRefundAt;
    this.linesUsed = this.lastLineAt;
    this.lastRefundAt = -1;
    this.count--;
    return true;
  }

  /**
   * The batch so far (and the next one started in the same arrays): valid until the next add,
   * addFlat or take.
   */
  take(): PackedBatch {
    // Cut to this batch's values (a short batch: the last one, or one after dropLast); the arrays
    // stay packed, which structured cloning copies as a dense run.
    if (this.refunds.length > this.refundsUsed) this.refunds.length = this.refundsUsed;
    if (this.lines.length > this.linesUsed) this.lines.length = this.linesUsed;
    const batch: PackedBatch = { count: this.count, refunds: this.refunds, lines: this.lines, dict: this.newEntries };
    this.refundsUsed = 0;
    this.linesUsed = 0;
    this.newEntries = [];
    this.count = 0;
    this.lastRefundAt = -1;
    this.lastLineAt = 0;
    return batch;
  }
}

/** Writer side: the dictionary rebuilt batch by batch (index = code; 0 is null). */
export class PackedDictionary {
  private readonly values: Array<string | null> = [null];
  add(batch: PackedBatch): void {
    for (const value of batch.dict) this.values.push(value);
  }
  get(code: unknown): string | null {
    return this.values[code as number]!;
  }
}
