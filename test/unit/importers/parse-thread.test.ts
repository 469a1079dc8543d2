import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/main/importers/import-file';
import { parseThreadWanted, startParseThread } from '../../../src/main/importers/parse-thread';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { writeSnapshot } from '../../../src/main/store/snapshot-writer';
import { UserError } from '../../../src/shared/errors';
import { counts, fixture, importRefunds, memoryDb, tempFile, userErrorText } from './helpers';

/**
 * The parallel import (parse thread → packed batches → this thread writes) must be invisible:
 * the same snapshot, row counts, SHA-256, notes and the same errors as the in-thread import.
 */

const NS_HEADER = 'Internal ID,Type,Date,Document Number,Storefront Order,Main Line,Item,Quantity,Amount,Currency\n';

function savedSearch(rows: number, badAt?: number): string {
  let text = NS_HEADER;
  for (let i = 1; i <= rows; i++) {
    const amount = i === badAt ? '12.3.4' : '12.00';
    text += `${i},Cash Refund,1/2/2026,CR${i},#${i},*,,,(12.00),US Dollar\n${i},Cash Refund,1/2/2026,CR${i},#${i},,HAT,1,${amount},US Dollar\n`;
  }
  return text;
}

function withoutTimes<T extends { snapshot: { createdAt: string; id: number } }>(result: T) {
  const { snapshot, ...rest } = result as T & { parseThread?: unknown };
  delete (rest as { parseThread?: unknown }).parseThread;
  return { ...rest, snapshot: { ...snapshot, createdAt: '' } };
}

describe('parallel import (parse thread)', () => {
  it('auto uses the thread only for large files', () => {
    const MB = 1024 * 1024;
    expect(parseThreadWanted('auto', 1_000, 'saved-search-csv')).toBe(false);
    expect(parseThreadWanted('auto', 20 * MB, 'saved-search-csv')).toBe(false);
    expect(parseThreadWanted('auto', 40 * MB, 'saved-search-csv')).toBe(true);
    expect(parseThreadWanted('auto', 20 * MB, 'shopify-json')).toBe(false);
    expect(parseThreadWanted('auto', 500 * MB, 'shopify-json')).toBe(true);
    expect(parseThreadWanted('always', 1, 'shopify-json')).toBe(true);
    expect(parseThreadWanted('never', 1e12, 'canonical-csv')).toBe(false);
    // A canonical CSV read with the defaults takes the flat reader, which only the thread runs.
    expect(parseThreadWanted('auto', 3 * MB, 'canonical-csv', {})).toBe(false);
    expect(parseThreadWanted('auto', 5 * MB, 'canonical-csv', {})).toBe(true);
    expect(parseThreadWanted('auto', 5 * MB, 'canonical-csv', { currency: undefined })).toBe(true);
    expect(parseThreadWanted('auto', 5 * MB, 'canonical-csv', { currency: 'USD' })).toBe(false);
    expect(parseThreadWanted('auto', 5 * MB, 'canonical-csv')).toBe(false);
    expect(parseThreadWanted('auto', 5 * MB, 'saved-search-csv', {})).toBe(false);
  });

  it.each([
    ['shopify-orders.json', 'storefront'],
    ['shopify-bulk.jsonl', 'storefront'],
    ['netsuite-saved-search.csv', 'netsuite'],
    ['netsuite-suiteql.json', 'netsuite'],
  ] as const)(
    '%s: same snapshot, counts, SHA-256 and notes as in-thread',
    async (name, side) => {
      const inThread = await importRefunds(fixture(name), { side, parseThread: 'never' });
      const threaded = await importRefunds(fixture(name), { side, parseThread: 'always' });
      expect(threaded.result.parseThread).toBeDefined();
      expect(inThread.result.parseThread).toBeUndefined();
      expect(threaded.refunds).toEqual(inThread.refunds);
      expect(withoutTimes(threaded.result)).toEqual(withoutTimes(inThread.result));
      const provenance = (db: typeof inThread.db) =>
        db.prepare('SELECT provenance, row_count, file_sha256 FROM snapshots').get();
      expect(provenance(threaded.db)).toEqual(provenance(inThread.db));
    },
    30_000,
  );

  it('a long NDJSON export (byte-level path, many batches): same refunds', async () => {
    const { orders } = JSON.parse(fs.readFileSync(fixture('shopify-orders.json'), 'utf8')) as {
      orders: { name: string }[];
    };
    let text = '';
    for (let i = 0; i < 1_500; i++) {
      for (const order of orders) text += `${JSON.stringify({ ...order, name: `${order.name}-${i}` })}\n`;
    }
    const file = tempFile('long.ndjson', text);
    const inThread = await importRefunds(file, { side: 'storefront', parseThread: 'never' });
    const threaded = await importRefunds(file, { side: 'storefront', parseThread: 'always' });
    expect(threaded.refunds.length).toBeGreaterThan(4_000);
    expect(threaded.refunds).toEqual(inThread.refunds);
    expect(withoutTimes(threaded.result)).toEqual(withoutTimes(inThread.result));
  }, 30_000);

  it('many small batches through a window of one (backpressure) give the same refunds', async () => {
    const file = tempFile('bp.csv', savedSearch(3_000));
    const reference = await importRefunds(file, { side: 'netsuite', parseThread: 'never' });
    const db = memoryDb();
    const thread = startParseThread({
      file,
      side: 'netsuite',
      format: 'saved-search-csv',
      options: {},
      batchRefunds: 7,
      window: 1,
    });
    let batches = 0;
    const id = await writeSnapshot(
      db,
      { side: 'netsuite', label: 'bp', source: 'file', format: 'saved-search-csv', importerVersion: 't' },
      {
        packed: (async function* () {
          for await (const batch of thread.batches) {
            batches++;
            // A slow writer: the parser must wait for credits, not pile batches up.
            if (batches % 50 === 0) await new Promise((r) => setTimeout(r, 5));
            yield batch;
          }
        })(),
      },
    );
    expect(batches).toBe(Math.ceil(3_000 / 7));
    expect(readSnapshotRefunds(db, id)).toEqual(reference.refunds);
    expect(thread.end()).toMatchObject({ rows: 6_000, sha256: reference.result.snapshot.fileSha256 });
  }, 30_000);

  it.each([
    ['bad-amount.csv', savedSearch(5_000, 4_321), 'netsuite'],
    ['bad-line.ndjson', `${'{"orders":[]}\n'.repeat(20)}{"order": {"name": "#1",}}\n`, 'storefront'],
    [
      'other-side.json',
      JSON.stringify([
        {
          side: 'netsuite',
          id: '1',
          recordType: 'cashRefund',
          date: '2026-01-02',
          currency: 'USD',
          total: 1,
          kind: 'general',
        },
      ]),
      'storefront',
    ],
    ['truncated.json', '{"orders":[{"name":"#1","refunds":[', 'storefront'],
  ] as const)(
    '%s: the parse thread’s error reaches the caller unchanged; no snapshot',
    async (name, content, side) => {
      const file = tempFile(name, content);
      const inThreadDb = memoryDb();
      const expected = await userErrorText(importFile(inThreadDb, { file, side, parseThread: 'never' }));
      const db = memoryDb();
      const got = await userErrorText(importFile(db, { file, side, parseThread: 'always' }));
      expect(got.error).toBeInstanceOf(UserError);
      expect(got.text).toBe(expected.text);
      expect(got.error.toShape()).toEqual(expected.error.toShape());
      expect(counts(db)).toEqual({ snapshots: 0, refunds: 0, lines: 0 });
    },
    30_000,
  );

  it('an error after batches were written rolls everything back (line number of the whole file)', async () => {
    const file = tempFile('late-error.csv', savedSearch(20_000, 19_990));
    const db = memoryDb();
    const { text } = await userErrorText(importFile(db, { file, side: 'netsuite', parseThread: 'always' }));
    expect(text).toMatch(/^late-error\.csv, line 39981, column Amount: "12\.3\.4" is not a valid USD amount/);
    expect(counts(db)).toEqual({ snapshots: 0, refunds: 0, lines: 0 });
  }, 30_000);

  it('abort midway: cancelled, no snapshot, and the thread is stopped', async () => {
    const file = tempFile('abort.csv', savedSearch(60_000));
    const db = memoryDb();
    const controller = new AbortController();
    let progressed = false;
    const running = importFile(db, {
      file,
      side: 'netsuite',
      parseThread: 'always',
      signal: controller.signal,
      onProgress: (p) => {
        if (p.refunds > 0 && !progressed) {
          progressed = true;
          controller.abort();
        }
      },
    });
    const error = await running.catch((e: unknown) => e);
    expect(progressed).toBe(true);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('cancelled');
    expect(counts(db)).toEqual({ snapshots: 0, refunds: 0, lines: 0 });
  }, 30_000);
});
