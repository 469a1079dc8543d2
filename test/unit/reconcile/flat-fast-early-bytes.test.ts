import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileBytesInBackground } from '../../../src/main/reconcile/flat-fast/early-bytes';
import { hasFlatHeader, readFileBytes } from '../../../src/main/reconcile/flat-fast/flat-table';

/**
 * The NetSuite file's bytes read on libuv's thread pool while the CLI loads its modules
 * (early-bytes.ts) stand in for readFileBytes' shared read: the same bytes, in shared memory.
 */
const HEADER =
  'side,id,documentNumber,recordType,orderRef,createdFromType,createdFromRef,date,currency,total,shipping,tax,adjustment,kind,externalId,memo,isTest,status,appliesTo,moneyMoved,presentmentCurrency,presentmentTotal,lineSku,lineDescription,lineQuantity,lineAmount,lineTax,lineRole';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-early-bytes-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('readFileBytesInBackground', () => {
  it('reads what readFileBytes reads, into a SharedArrayBuffer', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), async (body) => {
        const file = path.join(tmp, `f${n++}.csv`);
        const content = Buffer.concat([Buffer.from(`${HEADER}\n`), body]);
        fs.writeFileSync(file, content);
        const early = readFileBytesInBackground(file);
        expect(early.file).toBe(file);
        const bytes = await early.bytes;
        expect(bytes).not.toBeNull();
        expect(bytes!.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(bytes!.equals(readFileBytes(file, true)!)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('does not read a file whose header the flat table does not take (the helper does not either)', async () => {
    const file = path.join(tmp, 'other.csv');
    fs.writeFileSync(file, 'order_ref,refund_id,currency,total,date\n1001,r1,USD,12.34,2026-01-01\n');
    expect(hasFlatHeader(file)).toBe(false);
    expect(await readFileBytesInBackground(file).bytes).toBeNull();
  });

  it('answers null for a file it cannot read (the caller reads it again and says why)', async () => {
    expect(await readFileBytesInBackground(path.join(tmp, 'missing.csv')).bytes).toBeNull();
  });
});
