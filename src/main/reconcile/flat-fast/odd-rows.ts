import type { CanonicalRefund } from '../../../shared/model';
import { oddRowReader, readOddRowsAtOnce } from '../../importers/canonical-csv-odd-row';
import { displayName } from '../../importers/source';
import { type FlatTable, ROW_ODD } from './flat-table';
import { OddRowRefunds } from './odd-row-refund';

/**
 * The rows of a FlatTable with a tenders cell (ROW_ODD), each read alone by the full canonical CSV
 * importer exactly as the byte-level reader hands it over (importers/canonical-csv-flat.ts `odd`,
 * with the same header and row text, file name and validation): the refunds the general path's
 * memory snapshot holds for them. A row whose tenders cell is a plain one is read from its bytes
 * instead (odd-row-refund.ts: the importer's refund, without the importer); only the others go
 * through the importer. Null, before anything is written, when the importer refuses a
 * row or makes other than one refund of it (the general path then reads the file and words the
 * error), or when the refund's id, order reference, record type, External ID or appliesTo are not
 * the row's cells as the fast path read them from the bytes: the orders and ties it decided on
 * (candidate-pairs.ts) would not be the engine's.
 */
export async function readOddRows(t: FlatTable, file: string): Promise<Map<number, CanonicalRefund> | null> {
  const out = new Map<number, CanonicalRefund>();
  if (t.odd === 0) return out;
  const header = t.names.join(',');
  const rows: number[] = [];
  const plain = new OddRowRefunds(t);
  for (let r = 0; r < t.n; r++) {
    if ((t.flags[r]! & ROW_ODD) === 0) continue;
    const refund = plain.refund(r);
    if (refund) out.set(r, refund);
    else rows.push(r);
  }
  if (rows.length === 0) return out;
  const rowText = (r: number) => t.bytes.toString('latin1', t.rowStart[r]!, t.rowStart[r]! + t.rowLength[r]!);
  // All at once when no two consecutive odd rows name the same refund (the importer would merge
  // them): no reader set up per row (a 32 KB field table, a context, async generators), same refunds.
  const atOnce = apart(t, rows) ? await readOddRowsAtOnce(displayName(file), t.side, header, rows.map(rowText)) : null;
  if (atOnce) {
    for (let k = 0; k < rows.length; k++) {
      if (!sameCells(t, rows[k]!, atOnce[k]!)) return null;
      out.set(rows[k]!, atOnce[k]!);
    }
    return out;
  }
  // Else as the byte-level reader does: each alone, stopping at the first it does not take.
  let got: CanonicalRefund | null = null;
  const read = oddRowReader(displayName(file), t.side, (refund) => {
    got = refund;
  });
  for (const r of rows) {
    got = null;
    if (!(await read(header, rowText(r)))) return null;
    const refund = got as CanonicalRefund | null;
    if (!refund || !sameCells(t, r, refund)) return null;
    out.set(r, refund);
  }
  return out;
}

/** No two consecutive rows of `rows` have the same id (bytes). */
function apart(t: FlatTable, rows: readonly number[]): boolean {
  for (let k = 1; k < rows.length; k++) {
    const a = rows[k - 1]!;
    const b = rows[k]!;
    const aS = t.rowStart[a]! + t.idStart[a]!;
    const bS = t.rowStart[b]! + t.idStart[b]!;
    const len = t.idEnd[a]! - t.idStart[a]!;
    if (len === t.idEnd[b]! - t.idStart[b]! && t.bytes.compare(t.bytes, bS, bS + len, aS, aS + len) === 0) return false;
  }
  return true;
}

/** The cells that tie a row to an order or to other rows read the same both ways. */
function sameCells(t: FlatTable, r: number, refund: CanonicalRefund): boolean {
  const b = t.bytes;
  const start = t.rowStart[r]!;
  const cell = (s: number, e: number) => b.toString('latin1', start + s, start + e);
  // Field bounds of the row: appliesTo and recordType are not kept by the table.
  const bounds: number[] = [start];
  const end = start + t.rowLength[r]!;
  for (let i = start; i < end; i++) if (b[i] === 44) bounds.push(i + 1);
  bounds.push(end + 1);
  const text = (k: number) => b.toString('latin1', bounds[k]!, bounds[k + 1]! - 1);
  return (
    refund.id === cell(t.idStart[r]!, t.idEnd[r]!) &&
    refund.orderRef === cell(t.refStart[r]!, t.refEnd[r]!) &&
    refund.externalId === cell(t.extStart[r]!, t.extEnd[r]!) &&
    refund.recordType === text(t.col.recordType) &&
    refund.appliesTo === text(t.col.appliesTo)
  );
}
