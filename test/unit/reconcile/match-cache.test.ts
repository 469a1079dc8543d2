import { describe, expect, it } from 'vitest';
import { decodeColumns, encodeColumns, type SnapshotColumns, TextColumn } from '../../../src/main/store/match-cache';

function columns(ids: string[]): SnapshotColumns {
  const n = ids.length;
  return {
    n,
    rowId: Float64Array.from(ids.map((_, i) => 1000 + i)),
    day: Int32Array.from(ids.map((_, i) => 20_000 + i)),
    total: Float64Array.from(ids.map((_, i) => i * 101 - 50)),
    presTotal: new Float64Array(n),
    shipping: new Float64Array(n),
    flags: Uint8Array.from(ids.map((_, i) => i % 16)),
    currency: ids.map((_, i) => (i % 2 ? 'USD' : 'JPY')),
    presCurrency: ids.map((_, i) => (i % 3 ? null : 'CAD')),
    recordType: ids.map(() => 'creditMemo'),
    createdFromType: ids.map((_, i) => (i % 2 ? 'invoice' : null)),
    id: ids,
    orderKey: ids.map((id) => `#${id}`),
    appliesTo: TextColumn.from(ids.map(() => '')),
    keyValue: TextColumn.from(ids.map((id) => `SR-${id}`)),
    summary: TextColumn.from(ids.map(() => '[0,0,"CAP",1,2999]')),
    orderRef: TextColumn.from(ids.map((id) => `Order ${id}`)),
    documentNumber: TextColumn.from(ids.map((id, i) => (i % 2 ? `CM${id}` : ''))),
    tenders: TextColumn.from(ids.map((_, i) => (i % 2 ? '[{"kind":"card","gateway":"VISA","amount":5000}]' : ''))),
    creditDetail: TextColumn.from(ids.map(() => '')),
  };
}

describe('match cache blob', () => {
  it('round-trips every column, text in latin1 or UTF-16, nulls in dictionary columns', () => {
    for (const ids of [['1', '22', 'ß-3', ''], ['日本-1', '🙂', 'x'], []]) {
      const c = columns(ids);
      const back = decodeColumns(encodeColumns(c))!;
      const plain = (x: SnapshotColumns) =>
        Object.fromEntries(Object.entries(x).map(([k, v]) => [k, v instanceof TextColumn ? v.toArray() : v]));
      expect(plain(back)).toEqual(plain(c));
    }
  });

  it('toArray(true) shares the string of consecutive equal values and keeps every value', () => {
    const values = ['#1', '#1', '#12', '', '', '#1', 'ß', 'ß', '日本', '日本'];
    const out = TextColumn.from(values).toArray(true);
    expect(out).toEqual(values);
  });

  it('a blob of another format is ignored', () => {
    const blob = encodeColumns(columns(['1']));
    const header = blob.readUInt32LE(0);
    const patched = Buffer.from(blob.toString('latin1').replace('"format":3', '"format":9'), 'latin1');
    expect(patched.readUInt32LE(0)).toBe(header);
    expect(decodeColumns(patched)).toBeNull();
  });
});
