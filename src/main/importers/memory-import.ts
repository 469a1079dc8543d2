import { type DetectedFormat, FORMAT_SIDES, type ImportFormat } from '../../shared/contract/snapshot';
import { UserError } from '../../shared/errors';
import type { CanonicalRefund, Side } from '../../shared/model';
import { resolveCurrency } from '../../shared/money';
import { runTaskOnThread } from '../jobs/task-thread';
import type { Task } from '../jobs/types';
import type { KeyField } from '../store/column-collector';
import {
  type MemorySnapshot,
  MemorySnapshotBuilder,
  type PackedMemorySnapshot,
  packMemorySnapshot,
  unpackMemorySnapshot,
} from '../store/memory-snapshot';
import { markChecked } from '../store/snapshot-validate';
import { acceptRefund } from '../store/snapshot-writer';
import { readFlatCanonicalCsv } from './canonical-csv-flat';
import { oddRowReader } from './canonical-csv-odd-row';
import { readSimpleCanonicalCsv } from './canonical-csv-simple';
import { makeContext } from './common';
import { checkSide, detectFormat } from './detect';
import { BATCH_IMPORTERS, IMPORTERS } from './formats';
import { definedOnly, loadMapping } from './import-file';
import { decodeHead, displayName, openSource, readHead, statRegularFile } from './source';

export { oddRowReader } from './canonical-csv-odd-row';

/**
 * One export file read into a memory snapshot (store/memory-snapshot.ts) for the one-shot
 * `reconcile`: the same detection, options and importer as `importFile`, the same validation of
 * every refund (acceptRefund), but the refunds go into the matcher's columns instead of SQLite.
 * Canonical CSV takes the fast reader when the file is a simple one (canonical-csv-simple.ts).
 */
export interface MemoryImportInput {
  file: string;
  side: Side;
  format?: ImportFormat;
  /** Saved-search header mapping file (NetSuite side). */
  mapping?: string;
  currency?: string;
  keyField: KeyField;
  /** Row id of the file's first refund (row ids of one comparison never repeat). */
  firstRowId: number;
  /** Order ids whose names the snapshot should carry (`orderNames`): those a disputes file names by id only. */
  orderIdsOf?: string[];
}

export async function readFileIntoMemory(input: MemoryImportInput): Promise<MemorySnapshot> {
  const { file, side } = input;
  const name = displayName(file);
  await statRegularFile(file);
  let detected: DetectedFormat;
  if (input.format) {
    const { head } = await readHead(file);
    const { encoding } = head.length > 0 ? decodeHead(head, name) : { encoding: 'utf-8' as const };
    detected = { format: input.format, side: null, reason: 'chosen by you', encoding };
    if (!FORMAT_SIDES[input.format].includes(side)) checkSide(detected, side, name);
  } else {
    detected = await detectFormat(file, side);
  }
  if (input.currency !== undefined && !resolveCurrency(input.currency)) {
    throw new UserError(
      'unknown_currency',
      `The currency ${JSON.stringify(input.currency)} given for this import is not an ISO 4217 code such as USD.`,
      { field: 'currency' },
    );
  }
  const loaded = await loadMapping(input.mapping);
  const itemRoles = loaded.itemRoles ? definedOnly(loaded.itemRoles) : undefined;
  // The byte-level reader of flat exports: only with the importer's defaults (no currency or
  // item roles given), which its rows and the rows it hands to the full importer then use.
  if (detected.format === 'canonical-csv' && input.currency === undefined && !input.mapping) {
    const flat = new MemorySnapshotBuilder(side, input.keyField, input.firstRowId);
    const odd = oddRowReader(name, side, (refund) => flat.add(refund));
    const read = await readFlatCanonicalCsv(file, side, (values) => flat.addFlat(values), odd);
    if (read.simple) return flat.finish(read.rows, []);
  }
  if (detected.format === 'canonical-csv') {
    const builder = new MemorySnapshotBuilder(side, input.keyField, input.firstRowId);
    const source = await openSource(file, { hash: false });
    const read = await readSimpleCanonicalCsv(source, side, (refund) => builder.add(refund));
    if (read.simple) return builder.finish(read.rows, []);
  }
  const ctx = makeContext({
    file: name,
    side,
    format: detected.format,
    currency: input.currency ? resolveCurrency(input.currency) : undefined,
    itemRoles,
    mapping: loaded.columns,
    ...(loaded.tenders ? { tenderMapping: loaded.tenders } : {}),
    // Only the order names a disputes file asks for are kept (ImportContext.orderIdsWanted).
    orderIdsWanted: new Set(input.orderIdsOf ?? []),
  });
  const builder = new MemorySnapshotBuilder(side, input.keyField, input.firstRowId);
  const source = await openSource(file, { hash: false });
  let index = 0;
  const batches = BATCH_IMPORTERS[detected.format];
  if (batches) {
    // The same refunds in arrays, as the parse thread takes them (pack-refunds.ts): resuming the
    // importer's async generator once per refund cost a promise and microtasks a refund. Errors
    // still come in file order (a batch ends with the refunds before a failure).
    for await (const batch of batches(source, ctx)) {
      const accepted = batch.accepted;
      for (let k = 0; k < batch.length; k++) {
        const refund = batch[k]!;
        // A refund the importer made already checked (RefundBatch) is not checked again.
        if (accepted?.[k]) markChecked(refund as CanonicalRefund);
        builder.add(acceptRefund(refund, ++index, side));
      }
    }
  } else {
    for await (const refund of IMPORTERS[detected.format](source, ctx)) {
      builder.add(acceptRefund(refund, ++index, side));
    }
  }
  const snapshot = builder.finish(ctx.rows, ctx.notes);
  // Only the names asked for cross back from the reading thread, not the whole file's orders.
  if (input.orderIdsOf && input.orderIdsOf.length > 0 && ctx.orderIds) {
    const names: Array<[string, string]> = [];
    for (const id of input.orderIdsOf) {
      const name = ctx.orderIds.get(id);
      if (name !== undefined) names.push([id, name]);
    }
    snapshot.orderNames = names;
  }
  return snapshot;
}

/** The `import-memory` task: one file read into memory on a worker thread. */
export const importMemoryTask: Task<MemoryImportInput, PackedMemorySnapshot> = async (input) =>
  packMemorySnapshot(await readFileIntoMemory(input));

/**
 * Reads the file on a worker thread (the jobs worker running `import-memory`), so the two sides
 * of a comparison are read at once, one per core. Errors come back as they were thrown (a
 * UserError keeps its code, message and location).
 */
export function readFileIntoMemoryOnThread(input: MemoryImportInput, signal?: AbortSignal): Promise<MemorySnapshot> {
  return runTaskOnThread({
    name: 'import-memory',
    input,
    signal,
    receive: (value) => unpackMemorySnapshot(value as PackedMemorySnapshot),
    stoppedMessage: (code) => `The thread reading ${displayName(input.file)} stopped unexpectedly (exit code ${code}).`,
  });
}
