import type { CanonicalRefund, CanonicalRefundInput } from '../../../shared/model';
import { currencyExponent } from '../../../shared/money';
import { PlainTendersReader } from '../../importers/canonical-tenders-bytes';
import { fastParseRefund } from '../../store/snapshot-validate';
import { attrOf, type FlatTable } from './flat-table';

const COMMA = 44;

/**
 * The refund of a row with a tenders cell (ROW_ODD) read from the table and the cell's bytes: what
 * the full canonical CSV importer makes of the row alone (canonical-csv.ts `readRefund` +
 * `finishDraft`), without its CSV reader, field table, context and async generators per row —
 * 0.5–0.7 s of the main thread for the bench's 3,822 such rows (docs/benchmarks/flat.md). Every
 * other cell of such a row is a flat one the table has read and checked as for any row (the
 * columns it does not read are empty, flat-table.ts), so the draft is the importer's: same cells,
 * no trims to make, zero shipping, tax and adjustment, no lines, created-from, presentment or
 * credit detail, and the same validation (fastParseRefund, the importer's own). Null when the
 * tenders cell is not a plain one (canonical-tenders-bytes.ts) or the refund does not validate:
 * the full importer then reads the row and words any error.
 * test/unit/reconcile/flat-fast-odd-row-refund.test.ts: equal to the importer on generated rows.
 */
export class OddRowRefunds {
  private readonly tenders = new PlainTendersReader();
  private readonly tendersColumn: number;
  private readonly bounds: Int32Array;

  constructor(private readonly t: FlatTable) {
    this.tendersColumn = t.names.indexOf('tenders');
    this.bounds = new Int32Array(t.names.length + 1);
  }

  refund(r: number): CanonicalRefund | null {
    const t = this.t;
    const b = t.bytes;
    if (this.tendersColumn < 0) return null;
    // Field bounds of the row: the table keeps only those the fast path reads.
    const start = t.rowStart[r]!;
    const end = start + t.rowLength[r]!;
    const bounds = this.bounds;
    let field = 0;
    bounds[0] = start;
    for (let i = start; i < end; i++) if (b[i] === COMMA) bounds[++field] = i + 1;
    if (field !== t.names.length - 1) return null;
    bounds[field + 1] = end + 1;
    const text = (k: number): string => {
      const s = bounds[k]!;
      const e = bounds[k + 1]! - 1;
      return e === s ? '' : b.toString('latin1', s, e);
    };
    const currency = t.currencies[t.currency[r]!]!;
    const k = this.tendersColumn;
    const tenders = this.tenders.read(b, bounds[k]!, bounds[k + 1]! - 1, currencyExponent(currency));
    if (tenders === null) return null;
    const a = attrOf(t, t.attr[r]!);
    const c = t.col;
    const draft: CanonicalRefundInput = {
      tenders,
      side: t.side,
      id: text(c.id),
      documentNumber: text(c.documentNumber),
      recordType: a.recordType as CanonicalRefund['recordType'],
      orderRef: text(c.orderRef),
      createdFrom: null,
      date: text(c.date),
      currency,
      total: t.total[r]!,
      shipping: 0,
      tax: 0,
      adjustment: 0,
      lines: [],
      kind: a.kind as CanonicalRefund['kind'],
      externalId: text(c.externalId),
      memo: text(c.memo),
      isTest: a.isTest,
      status: a.status as CanonicalRefund['status'],
      appliesTo: text(c.appliesTo),
      moneyMoved: a.moneyMoved,
      presentment: null,
    };
    return fastParseRefund(draft) ?? null;
  }
}
