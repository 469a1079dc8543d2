import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ElidingInsert, insertSql } from '../../../src/main/store/eliding-insert';
import { openWorkspace } from '../../../src/main/store/open';

/**
 * The writer's INSERT that leaves all-default column groups to SQLite must store exactly the rows a
 * plain INSERT of every value stores, whatever mix of default and other values a batch holds.
 */
const COLUMNS = ['id', 'a', 'b', 'c', 'd'] as const;
const GROUPS = [
  { columns: ['a', 'b'], defaults: [null, 0] },
  { columns: ['c'], defaults: ['ok'] },
  { columns: ['d'], defaults: [''] },
];
const TABLE = `(id INTEGER PRIMARY KEY, a TEXT, b INTEGER NOT NULL DEFAULT 0, c TEXT NOT NULL DEFAULT 'ok', d TEXT NOT NULL DEFAULT '') STRICT`;

describe('ElidingInsert', () => {
  it('stores the same rows as a plain multi-row INSERT', () => {
    const rows = 4;
    const row = fc.tuple(
      fc.constantFrom(null, 'x', ''),
      fc.constantFrom(0, 1, -0),
      fc.constantFrom('ok', 'failed', ''),
      fc.constantFrom('', 'memo', 'ok'),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(row, { minLength: rows, maxLength: rows }), { minLength: 1, maxLength: 12 }),
        (batches) => {
          // The same table in two databases: one filled by a plain INSERT, one by ElidingInsert.
          const plainDb = new Database(':memory:');
          const db = new Database(':memory:');
          plainDb.exec(`CREATE TABLE refunds ${TABLE}`);
          db.exec(`CREATE TABLE refunds ${TABLE}`);
          const plain = plainDb.prepare(insertSql('refunds', COLUMNS, rows));
          const elided = new ElidingInsert(db, 'refunds', COLUMNS, GROUPS, rows);
          let id = 0;
          for (const batch of batches) {
            const params = batch.flatMap((r) => [++id, ...r]);
            plain.run(params);
            const before = [...params];
            elided.run(params);
            expect(params).toEqual(before);
          }
          const read = (d: Database.Database) =>
            d.prepare('SELECT id, a, b, c, d, typeof(b) AS tb FROM refunds ORDER BY id').all();
          expect(read(db)).toEqual(read(plainDb));
          db.close();
          plainDb.close();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the writer’s default groups are the schema’s column defaults', () => {
    const db = openWorkspace(':memory:');
    const defaults = (table: string) =>
      Object.fromEntries(
        (
          db.prepare(`SELECT name, dflt_value FROM pragma_table_info('${table}')`).all() as {
            name: string;
            dflt_value: string | null;
          }[]
        ).map((c) => [c.name, c.dflt_value]),
      );
    const refunds = defaults('refunds');
    const lines = defaults('refund_lines');
    expect([refunds.shipping, refunds.tax, refunds.adjustment, refunds.is_test, refunds.money_moved]).toEqual([
      '0',
      '0',
      '0',
      '0',
      '1',
    ]);
    expect([refunds.external_id, refunds.memo, refunds.applies_to, refunds.status]).toEqual(["''", "''", "''", "'ok'"]);
    expect([
      refunds.created_from_type,
      refunds.created_from_ref,
      refunds.presentment_currency,
      refunds.presentment_total,
    ]).toEqual([null, null, null, null]);
    expect([refunds.presentment_parts, refunds.lines_exported, refunds.tenders, refunds.credit_detail]).toEqual([
      null,
      '1',
      null,
      null,
    ]);
    expect([lines.description, lines.tax, lines.role]).toEqual(["''", '0', "'item'"]);
    db.close();
  });
});
