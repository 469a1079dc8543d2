import fs from 'node:fs';
import path from 'node:path';
import type { ReconcileResult } from './engine';
import { MatchedRows } from './matched-rows';
import { CSV_HEADER, csvRow, tableOrderKey } from './output';

/** Rows sorted in memory at once; more than this go to sorted runs on disk, merged at the end. */
export const CSV_RUN_ROWS = 32_768;

export type Entry = [key: string, row: string];

const byKey = (a: Entry, b: Entry) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * A run file holds UTF-16 code units as they are (UTF-16LE): each entry is its key's and row's
 * lengths (two units each, low half first), then the key and the row. Encoding and decoding are
 * copies, and every string, lone surrogates included, reads back exactly; JSON lines cost a
 * stringify and a parse per row (≈ 8 % of a rich one-shot run's main thread).
 */
const HEADER_UNITS = 4;

/** The entries (sorted) as one run file's text. */
function runText(entries: readonly Entry[], from: number, to: number): string {
  const parts: string[] = [];
  for (let i = from; i < to; i++) {
    const [key, row] = entries[i]!;
    parts.push(
      String.fromCharCode(key.length & 0xffff, key.length >>> 16, row.length & 0xffff, row.length >>> 16),
      key,
      row,
    );
  }
  return parts.join('');
}

/** Writes sorted entries as a run file (runText), 1,000 at a time. */
export function writeRunFile(file: string, entries: readonly Entry[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (let i = 0; i < entries.length; i += 1000) {
      fs.writeSync(fd, Buffer.from(runText(entries, i, Math.min(i + 1000, entries.length)), 'utf16le'));
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads one run file (runText's entries) in 256 KB blocks (a million rows make ~31 runs). */
export class RunReader {
  private readonly fd: number;
  private readonly block: Buffer;
  /** A byte of a code unit cut by the last read, kept at the block's start. */
  private carry = 0;
  private text = '';
  private at = 0;
  private ended = false;
  constructor(file: string, blockBytes = 256 << 10) {
    this.fd = fs.openSync(file, 'r');
    this.block = Buffer.allocUnsafe(blockBytes);
  }
  next(): Entry | null {
    for (;;) {
      const text = this.text;
      const at = this.at;
      if (text.length - at >= HEADER_UNITS) {
        const keyLength = text.charCodeAt(at) + text.charCodeAt(at + 1) * 0x10000;
        const rowLength = text.charCodeAt(at + 2) + text.charCodeAt(at + 3) * 0x10000;
        const keyEnd = at + HEADER_UNITS + keyLength;
        const end = keyEnd + rowLength;
        if (end <= text.length) {
          this.at = end;
          return [text.slice(at + HEADER_UNITS, keyEnd), text.slice(keyEnd, end)];
        }
      }
      if (this.ended) {
        if (at < text.length) throw new Error('A sorted CSV run file ends inside an entry.');
        return null;
      }
      const n = fs.readSync(this.fd, this.block, this.carry, this.block.length - this.carry, null);
      if (n <= 0) {
        this.ended = true;
        fs.closeSync(this.fd);
        continue;
      }
      const filled = this.carry + n;
      const whole = filled & ~1;
      this.text = text.slice(at) + this.block.toString('utf16le', 0, whole);
      this.at = 0;
      this.carry = filled - whole;
      if (this.carry) this.block[0] = this.block[whole]!;
    }
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
    writeRunFile(file, this.entries);
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
