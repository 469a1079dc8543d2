import type { CanonicalRefund, Side } from '../../shared/model';
import { acceptRefund } from '../store/snapshot-writer';
import { canonicalCsvRefunds } from './canonical-csv';
import type { OddRow } from './canonical-csv-flat';
import { makeContext } from './common';
import type { TextSource } from './source';

/**
 * One row the flat reader could not take (a tenders cell, say) read by the full canonical CSV
 * importer and validated as the import does; false (the flat reader then gives up and
 * the file is read again by the other readers, which word any error) when it refuses the row,
 * notes something about it, or makes other than one refund of it.
 */
export function oddRowReader(name: string, side: Side, add: (refund: CanonicalRefund) => void): OddRow {
  return async (header, row) => {
    const ctx = makeContext({ file: name, side, format: 'canonical-csv' });
    const refunds: CanonicalRefund[] = [];
    try {
      for await (const refund of canonicalCsvRefunds(textSource(name, `${header}\n${row}\n`), ctx)) {
        refunds.push(acceptRefund(refund, 1, side));
      }
    } catch {
      return false;
    }
    if (refunds.length !== 1 || ctx.notes.length > 0) return false;
    add(refunds[0]!);
    return true;
  };
}

/**
 * Many odd rows read at once by the full importer, as one text under the header: the refunds in
 * row order, or null (the caller then reads them one by one with oddRowReader) when it refuses a
 * row, notes anything, or makes other than one refund per row. The importer reads each row on its
 * own except that it merges consecutive rows of the same refund: the caller gives no two
 * consecutive rows with the same side and id, so each refund is what the row read alone makes.
 */
export async function readOddRowsAtOnce(
  name: string,
  side: Side,
  header: string,
  rows: readonly string[],
): Promise<CanonicalRefund[] | null> {
  const ctx = makeContext({ file: name, side, format: 'canonical-csv' });
  const refunds: CanonicalRefund[] = [];
  try {
    for await (const refund of canonicalCsvRefunds(textSource(name, `${header}\n${rows.join('\n')}\n`), ctx)) {
      refunds.push(acceptRefund(refund, 1, side));
    }
  } catch {
    return null;
  }
  return refunds.length === rows.length && ctx.notes.length === 0 ? refunds : null;
}

/** A TextSource over text in memory (odd rows for the full importer). */
function textSource(name: string, text: string): TextSource {
  const bytes = Buffer.from(text, 'utf8');
  return {
    path: name,
    name,
    size: bytes.length,
    encoding: 'utf-8',
    bytesRead: bytes.length,
    async *chunks() {
      yield text;
    },
    async *rawChunks() {
      yield bytes;
    },
    sha256() {
      throw new Error('This source was opened without hashing.');
    },
  };
}
