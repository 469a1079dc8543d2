import { describe, expect, it } from 'vitest';
import {
  decodeColumns,
  encodeColumns,
  MATCH_CACHE_FORMAT,
  type SnapshotColumns,
  TextColumn,
} from '../../../src/main/store/match-cache';
import { TenderTable } from '../../../src/main/store/tender-table';

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
        Object.fromEntries(
          Object.entries(x)
            .filter(([k]) => k !== 'tenderTable')
            .map(([k, v]) => [k, v instanceof TextColumn ? v.toArray() : v]),
        );
      expect(plain(back)).toEqual(plain(c));
      // The tender table is stored (compact, format 5) and reads as the text does.
      expect(Array.from(back.tenderTable!.quick)).toEqual(Array.from(TenderTable.fromText(c.tenders).quick));
      for (let i = 0; i < c.n; i++)
        expect(back.tenderTable!.tenders(i)).toEqual(TenderTable.fromText(c.tenders).tenders(i));
      expect(back.tenderTable!.source).toBe(back.tenders);
      // Decoded columns stored again give the same bytes.
      expect(encodeColumns(back).equals(encodeColumns(c))).toBe(true);
    }
  });

  it('stores no tenders text, and no bytes for a column of one value; reads them back', () => {
    const ids = Array.from({ length: 500 }, (_, i) => String(900_000 + i));
    const c = columns(ids);
    const tender = (ref: string) =>
      JSON.stringify([
        { kind: 'card', gateway: 'shopify_payments', amount: 2598, presentmentAmount: null, state: 'settled', ref },
      ]);
    c.tenders = TextColumn.from(ids.map((id) => tender(`61${id}`)));
    c.shipping = new Float64Array(c.n).fill(-250);
    c.presTotal = new Float64Array(c.n).fill(Number.NaN);
    // Few values (a byte code each): minus zero stays minus zero, NaN stays NaN.
    c.total = Float64Array.from(ids, (_, i) => [0, -0, 1999, -1999, Number.NaN, 2 ** 53][i % 6]!);
    const blob = encodeColumns(c);
    const back = decodeColumns(blob)!;
    expect(back.tenders.toArray()).toEqual(c.tenders.toArray());
    expect(Array.from(back.shipping)).toEqual(Array.from(c.shipping));
    expect(Array.from(back.presTotal).every(Number.isNaN)).toBe(true);
    expect(Array.from(back.total)).toEqual(Array.from(c.total));
    expect(back.total.findIndex((v) => Object.is(v, -0))).toBe(1);
    expect(back.tenderTable!.tenders(7)).toStrictEqual(JSON.parse(tender('61900007')));
    // Per record: its ref (8 bytes) and the tender table's per-record and per-part arrays; the
    // gateway once, the tender text not at all (it alone is ~120 bytes a record).
    const header = blob.readUInt32LE(0);
    const headerJson = JSON.parse(blob.toString('utf8', 4, 4 + header)) as { repeated: Record<string, string> };
    expect(Object.keys((headerJson as unknown as { palettes: object }).palettes)).toContain('total');
    expect(Object.keys(headerJson.repeated)).toEqual(
      expect.arrayContaining(['shipping', 'presTotal', 'tenders.gwStart', 'tenders.gwEnd', 'tenders.presentment']),
    );
    expect(blob.length).toBeLessThan(encodeColumns(columns(ids)).length + 8 * c.n + 1000);
  });

  it('stores the tender table of a regular tenders text, and reads its parts back', () => {
    const c = columns(['1', '2', '3']);
    const tender = {
      kind: 'card',
      gateway: 'VISA',
      amount: 5000,
      presentmentAmount: null,
      state: 'settled',
      ref: 'T1',
    };
    c.tenders = TextColumn.from([
      '',
      JSON.stringify([tender]),
      JSON.stringify([tender, { ...tender, kind: 'gift_card' }]),
    ]);
    c.tenderTable = TenderTable.fromText(c.tenders);
    const back = decodeColumns(encodeColumns(c))!;
    expect(back.tenderTable!.tenders(0)).toBeNull();
    expect(back.tenderTable!.tenders(1)).toStrictEqual([tender]);
    expect(back.tenderTable!.tenders(2)).toStrictEqual([tender, { ...tender, kind: 'gift_card' }]);
    expect(Array.from(back.tenderTable!.quick)).toEqual([3, 0, -1]);
  });

  it('stores a column that is a prefix and an id as that rule and its exceptions; long values with offsets', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `9080${i}`);
    const c = columns(ids);
    const long = 'x'.repeat(300);
    c.documentNumber = TextColumn.from(ids.map((id, i) => (i % 50 === 7 ? `CM-${i}` : i === 399 ? '' : id)));
    c.orderKey = ids.map((id) => id.slice(0, 5));
    c.orderRef = TextColumn.from(c.orderKey.map((k, i) => (i === 0 ? 'Ø' : i === 3 ? long : `#${k}`)));
    c.summary = TextColumn.from(ids.map((_, i) => (i % 3 ? long : '[0,0]')));
    const blob = encodeColumns(c);
    const header = JSON.parse(blob.toString('utf8', 4, 4 + blob.readUInt32LE(0))) as {
      text: Record<string, { lengths: boolean; derived?: { of: string; prefix: string; rows: number } }>;
    };
    expect(header.text.documentNumber!.derived).toEqual({ of: 'id', prefix: '', rows: 9 });
    expect(header.text.orderRef!.derived).toEqual({ of: 'orderKey', prefix: '#', rows: 2 });
    expect(header.text.summary!.lengths).toBe(false);
    expect(header.text.id!.lengths).toBe(true);
    const back = decodeColumns(blob)!;
    for (const name of ['documentNumber', 'orderRef', 'summary'] as const) {
      for (const i of [0, 3, 7, 57, 398, 399]) expect(back[name].get(i)).toBe(c[name].get(i));
      expect(back[name].toArray()).toEqual(c[name].toArray());
      expect(back[name].text).toBe(c[name].text);
    }
    expect(encodeColumns(back).equals(blob)).toBe(true);
  });

  it('toArray(true) shares the string of consecutive equal values and keeps every value', () => {
    const values = ['#1', '#1', '#12', '', '', '#1', 'ß', 'ß', '日本', '日本'];
    const out = TextColumn.from(values).toArray(true);
    expect(out).toEqual(values);
  });

  it('a blob of another format is ignored (an older one too: its snapshot is read again with SQL)', () => {
    const blob = encodeColumns(columns(['1']));
    const header = blob.readUInt32LE(0);
    for (const format of [3, 4, 9]) {
      const patched = Buffer.from(
        blob.toString('latin1').replace(`"format":${MATCH_CACHE_FORMAT}`, `"format":${format}`),
        'latin1',
      );
      expect(patched.readUInt32LE(0)).toBe(header);
      expect(decodeColumns(patched)).toBeNull();
    }
  });
});
