import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANONICAL_CSV_COLUMNS, CANONICAL_CSV_OPTIONAL_COLUMNS } from '../../../src/main/importers/canonical-csv';
import { emptyRunsOf, flatTableOf, hasFlatHeader } from '../../../src/main/reconcile/flat-fast/flat-table';

// The flat table refuses a file with a cell in a column it does not read (other than tenders): the
// check runs per run of consecutive such columns (emptyRunsOf), whatever the column order.
const cells: Record<string, string> = {
  side: 'netsuite',
  id: '5001',
  documentNumber: 'CR5001',
  recordType: 'cashRefund',
  orderRef: '#1001',
  date: '2026-01-05',
  currency: 'USD',
  total: '12.34',
  kind: 'general',
  externalId: '9001',
  isTest: 'false',
  status: 'ok',
  moneyMoved: 'true',
};
const all = [...CANONICAL_CSV_COLUMNS, ...CANONICAL_CSV_OPTIONAL_COLUMNS] as string[];

describe('flat-fast empty columns', () => {
  it('emptyRunsOf gives the runs of consecutive columns', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 30 }), (raw) => {
        const columns = [...raw].sort((a, b) => a - b);
        const runs = emptyRunsOf(columns);
        const back: number[] = [];
        for (let k = 0; k < runs.length; k += 2) {
          if (k > 0) expect(runs[k]!).toBeGreaterThan(runs[k - 2]! + runs[k - 1]!);
          for (let i = 0; i < runs[k + 1]!; i++) back.push(runs[k]! + i);
        }
        expect(back).toEqual(columns);
      }),
    );
  });

  it('refuses a cell in any column it does not read, in any column order', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(all, { minLength: all.length }),
        fc.integer({ min: 0, max: all.length - 1 }),
        fc.constantFrom('x', '0', ' '),
        (names, at, text) => {
          const line = (id: string, extra: boolean) =>
            names
              .map((n, k) => {
                const cell = n === 'id' ? id : (cells[n] ?? '');
                return extra && k === at ? `${cell}${text}` : cell;
              })
              .join(',');
          const file = (extra: boolean) =>
            Buffer.from(`${names.join(',')}\n${line('5001', false)}\n${line('5002', extra)}\n`, 'latin1');
          expect(flatTableOf(file(false), 'netsuite')).not.toBeNull();
          const name = names[at]!;
          const read = name in cells || name === 'memo' || name === 'appliesTo' || name === 'tenders';
          // A cell added to a column it does not read: not flat.
          if (!read) expect(flatTableOf(file(true), 'netsuite')).toBeNull();
        },
      ),
    );
  });

  it('hasFlatHeader reads only the header: canonical CSV yes, other formats and unknown columns no', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-flat-header-'));
    try {
      const write = (name: string, text: string) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, text);
        return file;
      };
      const row = all.map((n) => cells[n] ?? '').join(',');
      expect(hasFlatHeader(write('ok.csv', `${all.join(',')}\n${row}\n`))).toBe(true);
      expect(hasFlatHeader(write('crlf.csv', `${all.join(',')}\r\n${row}\r\n`))).toBe(false);
      expect(hasFlatHeader(write('extra.csv', `${all.join(',')},extra\n${row},x\n`))).toBe(false);
      expect(hasFlatHeader(write('orders.ndjson', '{"id":1,"refunds":[]}\n'))).toBe(false);
      expect(hasFlatHeader(write('empty.csv', ''))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
