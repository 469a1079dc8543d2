import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { type Entry, RunReader, writeRunFile } from '../../../src/main/reconcile/sorted-csv';

/** The sorted CSV's run files (sorted-csv.ts): every entry reads back exactly as written. */
describe('sorted CSV run files', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-run-file-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  let files = 0;

  function roundTrip(entries: Entry[], blockBytes?: number): Entry[] {
    const file = path.join(tmp, `run-${files++}.part`);
    writeRunFile(file, entries);
    const reader = new RunReader(file, blockBytes);
    const back: Entry[] = [];
    for (let e = reader.next(); e; e = reader.next()) back.push(e);
    fs.rmSync(file);
    return back;
  }

  // Any UTF-16 code units: lone surrogates, NUL (tableOrderKey's separator), CR/LF, non-ASCII.
  const text = fc.string({
    unit: fc.oneof(
      fc.constantFrom('\n', '\r', '\u0000', '\uD800', '\uDC00', 'é', '€'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 30,
  });
  const entries = fc.array(fc.tuple(text, text), { maxLength: 40 });

  it('reads back every key and row, whatever the block size (odd sizes cut code units)', () => {
    fc.assert(
      fc.property(entries, fc.constantFrom(undefined, 5, 7, 8, 64), (list, block) => {
        expect(roundTrip(list, block)).toEqual(list);
      }),
      { numRuns: 500 },
    );
  });

  it('takes more than 1,000 entries and lengths beyond 65,535 units', () => {
    const long = `${'x'.repeat(70_000)}\uD83D\uDE00`;
    const list: Entry[] = Array.from({ length: 2_500 }, (_, i) => [`k${i}`, i === 1_234 ? long : `row ${i}\r\n`]);
    expect(roundTrip(list, 1001)).toEqual(list);
  });
});
