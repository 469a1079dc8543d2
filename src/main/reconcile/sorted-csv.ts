import fs from 'node:fs';
import path from 'node:path';
import type { ReconcileResult } from './engine';
import { MatchedRows } from './matched-rows';
import { CSV_HEADER, csvRow, tableOrderKey } from './output';

/** Rows sorted in memory at once; more than this go to sorted runs on disk, merged at the end. */
export const CSV_RUN_ROWS = 32_768;

type Entry = [key: string, row: string];

const byKey = (a: Entry, b: Entry) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Reads one run file (a JSON `[key, row]` per line) in 256 KB blocks (a million rows make ~31 runs). */
class RunReader {
  private readonly fd: number;
  private readonly block = Buffer.allocUnsafe(256 << 10);
  private lines: string[] = [];
  private at = 0;
  private rest = '';
  private ended = false;
  constructor(file: string) {
    this.fd = fs.openSync(file, 'r');
  }
  next(): Entry | null {
    while (this.at >= this.lines.length) {
      if (this.ended) return null;
      const n = fs.readSync(this.fd, this.block, 0, this.block.length, null);
      if (n <= 0) {
        this.ended = true;
        fs.closeSync(this.fd);
        this.lines = this.rest ? [this.rest] : [];
        this.rest = '';
      } else {
        // JSON escapes newlines inside a row, so '\n' only ends records. Read as latin1 (one char
        // per byte) and decode each whole line as UTF-8, so a character cut by the block's end is
        // joined again in `rest` first.
        const text = this.rest + this.block.toString('latin1', 0, n);
        const cut = text.lastIndexOf('\n');
        this.lines = cut < 0 ? [] : text.slice(0, cut).split('\n');
        this.rest = text.slice(cut + 1);
      }
      this.at = 0;
    }
    const line = this.lines[this.at++]!;
    return JSON.parse(Buffer.from(line, 'latin1').toString('utf8')) as Entry;
  }
}

/**
 * `--format csv` in the table's order (issue 16 item 11): the header, then the rows sorted by
 * tableOrderKey, as the table sorts its worst differences. Rows are held CSV_RUN_ROWS at a time
 * (a key and the row's text each); a larger output is written as sorted runs to a temporary
 * directory and merged, so a million results never sit in memory together.
 */
export class SortedCsvWriter {
  private entries: Entry[] = [];
  /** Plain matched results, written from a template (matched-rows.ts). */
  private readonly matched = new MatchedRows();
  private readonly runs: string[] = [];
  constructor(
    private readonly write: (chunk: string) => void,
    private readonly spoolDir: () => string,
    private readonly runRows = CSV_RUN_ROWS,
  ) {}
  add(result: ReconcileResult): void {
    if (this.matched.add(result)) return;
    this.entries.push([tableOrderKey(result), csvRow(result)]);
    if (this.entries.length >= this.runRows) this.spill();
  }
  finish(): void {
    this.write(`${CSV_HEADER.join(',')}\r\n`);
    let general: Iterator<Entry>;
    if (this.runs.length === 0) {
      this.entries.sort(byKey);
      general = this.entries.values();
    } else {
      if (this.entries.length > 0) this.spill();
      general = this.mergedRuns();
    }
    // The two sorted streams (general rows, template rows) merged by key.
    this.matched.writeMerged(general, this.write);
    this.entries = [];
    for (const file of this.runs) fs.rmSync(file, { force: true });
  }
  private spill(): void {
    this.entries.sort(byKey);
    const file = path.join(this.spoolDir(), `csv-run-${this.runs.length}.part`);
    const fd = fs.openSync(file, 'w');
    try {
      for (let i = 0; i < this.entries.length; i += 1000) {
        fs.writeSync(
          fd,
          `${this.entries
            .slice(i, i + 1000)
            .map((e) => `${JSON.stringify(e)}\n`)
            .join('')}`,
        );
      }
    } finally {
      fs.closeSync(fd);
    }
    this.runs.push(file);
    this.entries = [];
  }
  /** The sorted runs merged: a binary heap of the runs' heads, smallest key on top. */
  private *mergedRuns(): Generator<Entry> {
    const readers = this.runs.map((file) => new RunReader(file));
    const heap: Array<{ head: Entry; reader: RunReader }> = [];
    const less = (a: number, b: number) => heap[a]!.head[0] < heap[b]!.head[0];
    const swap = (a: number, b: number) => {
      const t = heap[a]!;
      heap[a] = heap[b]!;
      heap[b] = t;
    };
    const down = (from: number) => {
      for (let i = from; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        if (l < heap.length && less(l, min)) min = l;
        if (r < heap.length && less(r, min)) min = r;
        if (min === i) return;
        swap(i, min);
        i = min;
      }
    };
    for (const reader of readers) {
      const head = reader.next();
      if (head) heap.push({ head, reader });
    }
    for (let i = Math.floor(heap.length / 2) - 1; i >= 0; i--) down(i);
    while (heap.length > 0) {
      const top = heap[0]!;
      yield top.head;
      const next = top.reader.next();
      if (next) top.head = next;
      else {
        heap[0] = heap[heap.length - 1]!;
        heap.pop();
      }
      if (heap.length > 0) down(0);
    }
  }
}
