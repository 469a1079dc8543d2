import { TENDER_KIND_VALUES } from '../../shared/model-values';
import { ByteDictionary, plainAmount } from './canonical-csv-bytes';

/**
 * The plainest `tenders` cell of the canonical CSV (canonical-tenders.ts `parseTendersCell`) read
 * from its bytes: `kind:gateway:amount` parts joined by `|`, each with exactly two colons, a known
 * kind, a gateway without `%` (so nothing to unescape) and an amount as plainAmount reads it
 * (`12.34`, or `1234` for a currency without decimals). The bench's cells (`store_credit::12.34`)
 * and everything the app itself writes for tenders without escapes or presentment are of this kind.
 *
 * Like the other byte readers it never words an error: for any other cell (blanks, a `%`, a sign,
 * another amount form, an unknown kind, an empty part…) it answers null and the row is left to the
 * full importer, which reads it or says what is wrong with file, line and field. What it accepts
 * is what parseTendersCell makes of the same cell with an empty `tenderDetail`
 * (test/unit/importers/canonical-tenders-bytes.test.ts). No zod: the flat reconcile's helper
 * thread may load it (its import graph is checked by flat-fast-helper-imports.test.ts).
 */

const COLON = 58;
const PIPE = 124;
const PERCENT = 37;
const SPACE = 32;

/** One tender as parseTendersCell builds it (same keys, same order: tenders.md §6). */
export interface PlainTender {
  kind: (typeof TENDER_KIND_VALUES)[number];
  gateway: string;
  amount: number;
  presentmentAmount: null;
  state: 'settled';
  ref: string;
}

const TENDER_KINDS = new Set<string>(TENDER_KIND_VALUES);

/** Reads tenders cells of one file: its kinds and gateways are a few repeated values. */
export class PlainTendersReader {
  private readonly kinds = new ByteDictionary((v) => TENDER_KINDS.has(v));
  private readonly gateways = new ByteDictionary(() => true);

  /**
   * The tenders of the non-empty cell `buf[start, end)` of a refund in a currency with `exponent`
   * decimals, or null when it is not a plain cell (the full importer then reads the row).
   */
  read(buf: Buffer, start: number, end: number, exponent: number): PlainTender[] | null {
    if (end <= start) return null;
    const tenders: PlainTender[] = [];
    let partStart = start;
    for (let i = start; i <= end; i++) {
      if (i < end && buf[i] !== PIPE) continue;
      const tender = this.part(buf, partStart, i, exponent);
      if (tender === null) return null;
      tenders.push(tender);
      partStart = i + 1;
    }
    return tenders;
  }

  /** One `kind:gateway:amount` part, or null. */
  private part(buf: Buffer, start: number, end: number, exponent: number): PlainTender | null {
    let first = -1;
    let second = -1;
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      // Blanks (the importer trims), escapes (it unescapes): the importer's.
      if (b <= SPACE || b === PERCENT) return null;
      if (b === COLON) {
        if (first < 0) first = i;
        else if (second < 0) second = i;
        else return null;
      }
    }
    if (second < 0) return null;
    const kind = this.kinds.get(buf, start, first);
    if (kind === null) return null;
    const amount = plainAmount(buf, second + 1, end, exponent);
    if (amount < 0) return null;
    const gateway = second === first + 1 ? '' : this.gateways.get(buf, first + 1, second);
    if (gateway === null) return null;
    return {
      kind: kind as PlainTender['kind'],
      gateway,
      amount,
      presentmentAmount: null,
      state: 'settled',
      ref: '',
    };
  }
}
