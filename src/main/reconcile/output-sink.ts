import fs from 'node:fs';
import path from 'node:path';
import type { ReconcileRules } from '../../shared/contract/run';
import type { CanonicalRefund } from '../../shared/model';
import type { EngineSummary, ReconcileResult } from './engine';
import { JsonResultsWriter, jsonHead, jsonTail, TableWriter } from './output';
import { SortedCsvWriter } from './sorted-csv';

/** The output formats of a file reconciliation (spec §7). */
export type ReconcileOutputFormat = 'table' | 'json' | 'csv';

/** Where results go as the engine produces them (one of the three formats). */
export interface OutputSink {
  add(result: ReconcileResult): void;
  finish(summary: EngineSummary, notCompared: CanonicalRefund[], rules: ReconcileRules): void;
}

/** Copies a file to `write` in 4 MB chunks. */
function copyFile(file: string, write: (chunk: Buffer) => void): void {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(4 << 20);
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n <= 0) break;
      write(chunk.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Appends to a spool file synchronously. */
function spoolWriter(fd: number): (chunk: string) => void {
  return (chunk) => {
    fs.writeSync(fd, chunk);
  };
}

/**
 * The output of `format`: the table's counts stream as results come; CSV rows are sorted like the
 * table (held a run at a time, larger outputs merged from sorted runs on disk); the JSON
 * document starts with the summary (spec §7), so its results are spooled to a temporary file and
 * copied after the summary once matching is done. Nothing holds all results. JSON shows every
 * record's display fields (hydrate `all`); the table and CSV those of results with a hint.
 */
export function outputSink(
  format: ReconcileOutputFormat,
  write: (chunk: string | Buffer) => void,
  mapping: Readonly<Record<string, string>>,
  spoolDir: () => string,
): OutputSink {
  if (format === 'csv') {
    // In the table's order: sorted in runs on disk when large (sorted-csv.ts).
    const csv = new SortedCsvWriter(write, spoolDir);
    return { add: (r) => csv.add(r), finish: () => csv.finish() };
  }
  if (format === 'table') {
    const table = new TableWriter(write);
    return { add: (r) => table.add(r), finish: (summary) => table.finish(summary) };
  }
  const spool = path.join(spoolDir(), 'results.json.part');
  const spoolFd = fs.openSync(spool, 'w');
  const body = new JsonResultsWriter(spoolWriter(spoolFd), mapping);
  return {
    add: (r) => body.add(r),
    finish: (summary, notCompared, rules) => {
      body.finish();
      fs.closeSync(spoolFd);
      write(jsonHead(summary, rules));
      copyFile(spool, write);
      fs.rmSync(spool, { force: true });
      write(jsonTail(notCompared));
    },
  };
}
