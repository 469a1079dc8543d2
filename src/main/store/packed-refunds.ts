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

/** Parse-thread side: packs validated refunds, assigning dictionary codes as values first appear. */
export class RefundPacker {
  private readonly codes = new Map<string, number>();
  private newEntries: string[] = [];
  refunds: unknown[] = [];
  lines: unknown[] = [];
  count = 0;
  /** Where the last refund added starts in `refunds` and `lines` (dropLast). */
  private lastRefundAt = -1;
  private lastLineAt = 0;

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
    this.lastRefundAt = this.refunds.length;
    this.lastLineAt = this.lines.length;
    const createdFrom = refund.createdFrom;
    const presentment = refund.presentment;
    const refundLines = refund.lines;
    this.refunds.push(
      refund.id,
      refund.documentNumber,
      this.code(refund.recordType),
      refund.orderRef,
      this.code(createdFrom ? createdFrom.type : null),
      createdFrom ? createdFrom.ref : null,
      this.code(refund.date),
      this.code(refund.currency),
      refund.total,
      refund.shipping,
      refund.tax,
      refund.adjustment,
      this.code(refund.kind),
      refund.externalId,
      refund.memo,
      refund.isTest ? 1 : 0,
      this.code(refund.status),
      refund.appliesTo,
      refund.moneyMoved ? 1 : 0,
      this.code(presentment ? presentment.currency : null),
      presentment ? presentment.total : null,
      presentmentPartsText(refund),
      refund.linesExported === false ? 0 : 1,
      tendersText(refund),
      creditDetailText(refund),
      refundLines.length,
    );
    for (let i = 0; i < refundLines.length; i++) {
      const line = refundLines[i]!;
      this.lines.push(line.sku, line.description, line.quantity, line.amount, line.tax, this.code(line.role));
    }
    this.count++;
  }

  /**
   * Packs a flat row's refund: exactly the values add() packs for the refund the canonical CSV
   * importer and acceptRefund make of that row (the defaults of every column the row leaves out;
   * default tenders and credit detail are stored as null), without building it. The dictionary
   * codes are taken in add()'s order. A property test compares the two.
   */
  addFlat(v: FlatRefundFields): void {
    this.lastRefundAt = this.refunds.length;
    this.lastLineAt = this.lines.length;
    this.refunds.push(
      v.id,
      v.documentNumber,
      this.code(v.recordType),
      v.orderRef,
      0,
      null,
      this.code(v.date),
      this.code(v.currency),
      v.total,
      0,
      0,
      0,
      this.code(v.kind),
      v.externalId,
      v.memo,
      v.isTest ? 1 : 0,
      this.code(v.status),
      v.appliesTo,
      v.moneyMoved ? 1 : 0,
      0,
      null,
      null,
      1,
      null,
      null,
      0,
    );
    this.count++;
  }

  /**
   * Takes back the last refund added, when it is still in this batch (true). Dictionary entries it
   * introduced stay: they still travel with the batch, and later refunds may use them.
   */
  dropLast(): boolean {
    if (this.count === 0 || this.lastRefundAt < 0) return false;
    this.refunds.length = this.lastRefundAt;
    this.lines.length = this.lastLineAt;
    this.lastRefundAt = -1;
    this.count--;
    return true;
  }

  /** The batch so far (and a fresh one started). */
  take(): PackedBatch {
    const batch: PackedBatch = { count: this.count, refunds: this.refunds, lines: this.lines, dict: this.newEntries };
    this.refunds = [];
    this.lines = [];
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
