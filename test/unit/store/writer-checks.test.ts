import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/store/open';
import { writeSnapshot } from '../../../src/main/store/snapshot-writer';
import { type CanonicalRefundInput, LineRole, RecordType, RefundKind, RefundStatus } from '../../../src/shared/model';

/**
 * The snapshot writer inserts refunds and lines with CHECK constraints off (snapshot-writer.ts,
 * skipRowChecks): that is only safe while what the writer accepts (acceptRefund: the canonical
 * schema's enums, flags written as 0/1) is exactly what the CHECKs allow. These tests read both.
 */
const META = {
  side: 'storefront' as const,
  label: 't',
  source: 'file' as const,
  format: 'canonical-json',
  importerVersion: '1',
};

function refund(i: number, extra: Partial<CanonicalRefundInput> = {}): CanonicalRefundInput {
  return {
    side: 'storefront',
    id: String(i),
    recordType: 'refund',
    date: '2026-01-02',
    currency: 'USD',
    total: 100 + i,
    kind: 'line_item',
    orderRef: `#${i}`,
    lines: [{ sku: 'A', quantity: 1, amount: 100 + i }],
    ...extra,
  };
}

/** Every `CHECK (column IN (…))` of a table's CREATE statement, and any other CHECK text left over. */
function checksOf(
  db: ReturnType<typeof openWorkspace>,
  table: string,
): { lists: Record<string, string[]>; other: string[] } {
  const { sql } = db.prepare('SELECT sql FROM sqlite_master WHERE type = ? AND name = ?').get('table', table) as {
    sql: string;
  };
  const lists: Record<string, string[]> = {};
  const rest = sql.replace(/CHECK \((\w+) IN \(([^()]*)\)\)/g, (_m, column: string, values: string) => {
    lists[column] = values.split(',').map((v) => v.trim().replace(/^'(.*)'$/, '$1'));
    return '';
  });
  return { lists, other: rest.match(/CHECK\b[^,]*/g) ?? [] };
}

describe('the writer’s unchecked INSERTs', () => {
  it('the refunds and refund_lines CHECK lists are the canonical schema’s enums and 0/1 flags', () => {
    const db = openWorkspace(':memory:');
    const refunds = checksOf(db, 'refunds');
    expect(refunds.other).toEqual([]);
    expect(refunds.lists).toEqual({
      record_type: [...RecordType.options],
      kind: [...RefundKind.options],
      is_test: ['0', '1'],
      status: [...RefundStatus.options],
      money_moved: ['0', '1'],
      lines_exported: ['0', '1'],
    });
    const lines = checksOf(db, 'refund_lines');
    expect(lines.other).toEqual([]);
    expect(lines.lists).toEqual({ role: [...LineRole.options] });
    db.close();
  });

  it('a value outside a CHECK list is refused before SQL, and nothing is written', async () => {
    const db = openWorkspace(':memory:');
    for (const bad of [
      { recordType: 'exchange' },
      { kind: 'partial' },
      { status: 'maybe' },
      { lines: [{ sku: 'A', quantity: 1, amount: 1, role: 'fee' }] },
    ] as unknown as Partial<CanonicalRefundInput>[]) {
      await expect(writeSnapshot(db, META, [refund(1), refund(2, bad)])).rejects.toThrow(/Refund number 2/);
    }
    expect(db.prepare('SELECT COUNT(*) AS n FROM refunds').get()).toEqual({ n: 0 });
    db.close();
  });

  it('CHECK constraints are on again after a write, whether it succeeds or fails', async () => {
    const db = openWorkspace(':memory:');
    const checksOn = () => db.pragma('ignore_check_constraints', { simple: true }) === 0;
    await writeSnapshot(db, META, [refund(1)]);
    expect(checksOn()).toBe(true);
    await expect(writeSnapshot(db, META, [refund(1), refund(2, { total: 1.5 })])).rejects.toThrow();
    expect(checksOn()).toBe(true);
    // The connection enforces them on the next statement, and the snapshot row is checked as before.
    expect(() => db.prepare("UPDATE refunds SET status = 'maybe'").run()).toThrow(/CHECK constraint failed/);
    await expect(writeSnapshot(db, { ...META, source: 'fax' as 'file' }, [refund(3)])).rejects.toThrow(
      /CHECK constraint failed/,
    );
    db.close();
  });
});
