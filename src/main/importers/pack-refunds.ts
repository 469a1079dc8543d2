import type { CanonicalRefund, Side } from '../../shared/model';
import { type PackedBatch, RefundPacker } from '../store/packed-refunds';
import { markChecked } from '../store/snapshot-validate';
import { acceptRefund } from '../store/snapshot-writer';
import { readFlatCanonicalCsv } from './canonical-csv-flat';
import { oddRowReader } from './canonical-csv-odd-row';
import type { ImportContext } from './common';
import { BATCH_IMPORTERS, IMPORTERS } from './formats';
import type { TextSource } from './source';

/**
 * The parse thread's work (parse-thread.ts): a file's refunds read, validated and packed into
 * batches for the writer.
 *
 * A flat canonical CSV (one row per refund, nothing but the plain columns; bench: the flat 1M
 * export) is read byte by byte (canonical-csv-flat.ts) and packed without building a refund
 * (`RefundPacker.addFlat`): the CSV batch, the refund object, its validation and packing were
 * most of the parse thread. A row that reader cannot take as flat goes through the canonical
 * importer alone (oddRowReader). When the reader gives up on the file (a refund on several rows,
 * a quoted cell, non-ASCII text…), the full importer reads the file from the start and the
 * refunds already packed are skipped: it makes the same refunds of those rows (property-tested),
 * and any error in the file is found and worded by it, as before.
 */
export interface PackInput {
  file: string;
  side: Side;
  ctx: ImportContext;
  source: TextSource;
  batchRefunds: number;
  /** Try the flat reader first: a canonical CSV read with the importer's defaults (no options). */
  flat: boolean;
  /**
   * Hands one full (or the last) batch on; the next refund is packed once it resolves, into the
   * same arrays (RefundPacker): copy what you keep (postMessage does).
   */
  send: (batch: PackedBatch) => Promise<void>;
  /** The flat reader's chunk size (tests: rows across chunk ends). */
  flatChunkBytes?: number;
  /** Bytes of the file read so far by the flat reader (the importer's source reports its own). */
  onFlatBytes?: (bytesRead: number) => void;
}

export interface PackEnd {
  refunds: number;
  /** Source rows read (also in ctx.rows). */
  rows: number;
  bytesRead: number;
}

export async function packFileRefunds(input: PackInput): Promise<PackEnd> {
  const { side, ctx, source, batchRefunds, send } = input;
  const packer = new RefundPacker();
  // A full batch is sent only when the next refund comes, so the last refund packed is always
  // still in the packer: when the flat reader gives up on a row, the refund before it may be the
  // first row of a refund on several rows, and is taken back (dropLast) for the importer to read.
  const room = (): Promise<void> | undefined => (packer.count >= batchRefunds ? send(packer.take()) : undefined);
  let skip = 0;
  if (input.flat) {
    let packed = 0;
    let flatBytes = 0;
    let oddRefund: CanonicalRefund | undefined;
    const readOdd = oddRowReader(ctx.file, side, (refund) => {
      oddRefund = refund;
    });
    const read = await readFlatCanonicalCsv(
      input.file,
      side,
      (values) => {
        const wait = room();
        if (wait) {
          return wait.then(() => {
            packer.addFlat(values);
            ctx.rows = ++packed;
          });
        }
        packer.addFlat(values);
        ctx.rows = ++packed;
      },
      async (header, row) => {
        oddRefund = undefined;
        if (!(await readOdd(header, row)) || !oddRefund) return false;
        await room();
        packer.add(oddRefund);
        ctx.rows = ++packed;
        return true;
      },
      input.flatChunkBytes,
      (bytes) => {
        flatBytes = bytes;
        input.onFlatBytes?.(bytes);
      },
    );
    if (read.simple) {
      ctx.rows = read.rows;
      if (packer.count > 0) await send(packer.take());
      return { refunds: packed, rows: read.rows, bytesRead: flatBytes };
    }
    if (packed > 0 && !packer.dropLast()) throw new Error('The flat reader sent the refund it had to take back.');
    skip = packed > 0 ? packed - 1 : 0;
    ctx.rows = 0; // the importer counts the rows again
  }
  let index = 0;
  const batches = BATCH_IMPORTERS[ctx.format];
  if (batches) {
    for await (const batch of batches(source, ctx)) {
      const accepted = batch.accepted;
      for (let k = 0; k < batch.length; k++) {
        const refund = batch[k]!;
        if (++index <= skip) continue;
        const wait = room();
        if (wait) await wait;
        // A refund the importer made already checked (RefundBatch) is not checked again.
        if (accepted?.[k]) markChecked(refund as CanonicalRefund);
        packer.add(acceptRefund(refund, index, side));
      }
    }
  } else {
    for await (const refund of IMPORTERS[ctx.format](source, ctx)) {
      if (++index <= skip) continue;
      const wait = room();
      if (wait) await wait;
      packer.add(acceptRefund(refund, index, side));
    }
  }
  if (index < skip) {
    throw new Error(`The flat canonical CSV reader packed ${skip} refunds, the importer read ${index}.`);
  }
  if (packer.count > 0) await send(packer.take());
  return { refunds: index, rows: ctx.rows, bytesRead: source.bytesRead };
}
