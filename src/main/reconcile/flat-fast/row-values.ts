import { dayNumber } from '../../../shared/day-number';
import type { FlatRowValues } from '../../store/column-collector';
import { orderKeyOf } from '../../store/memory-snapshot';
import { attrOf, type FlatTable, ROW_DOC_IS_ID, ROW_QUIET } from './flat-table';

/**
 * One row of a FlatTable as the values the byte-level reader hands to `MemorySnapshotBuilder.addFlat`
 * (importers/canonical-csv-flat.ts `flatValues`): what the rows the fast path cannot decide become,
 * for the general engine. `v.rowId` is set by the builder.
 */
export function rowValues(t: FlatTable, row: number, v: FlatRowValues): FlatRowValues {
  const b = t.bytes;
  const start = t.rowStart[row]!;
  const end = start + t.rowLength[row]!;
  const cell = (s: number, e: number): string => (e === s ? '' : b.toString('latin1', start + s, start + e));
  let date: string;
  if ((t.flags[row]! & ROW_QUIET) !== 0) {
    // No memo and no appliesTo (most rows): every other cell read has its bounds in the table but
    // the date's end, its comma (or the row's end) found natively. No walk over the row's bytes.
    v.id = cell(t.idStart[row]!, t.idEnd[row]!);
    v.documentNumber = cell(t.docStart[row]!, t.docEnd[row]!);
    v.orderRef = cell(t.refStart[row]!, t.refEnd[row]!);
    v.externalId = cell(t.extStart[row]!, t.extEnd[row]!);
    v.memo = '';
    v.appliesTo = '';
    const dateAt = start + t.dateStart[row]!;
    const comma = b.indexOf(44, dateAt);
    date = cell(dateAt - start, (comma < 0 || comma > end ? end : comma) - start);
  } else {
    // Field bounds of the row (the table only keeps the ones the fast path reads).
    const bounds: number[] = [start];
    for (let i = start; i < end; i++) if (b[i] === 44) bounds.push(i + 1);
    bounds.push(end + 1);
    const text = (k: number): string => {
      const s = bounds[k]!;
      const e = bounds[k + 1]! - 1;
      return e === s ? '' : b.toString('latin1', s, e);
    };
    const c = t.col;
    v.id = text(c.id);
    v.documentNumber = text(c.documentNumber);
    v.orderRef = text(c.orderRef);
    v.externalId = text(c.externalId);
    v.memo = text(c.memo);
    v.appliesTo = text(c.appliesTo);
    date = text(c.date);
  }
  // The reader reuses the id's string when the document number is the same text.
  if ((t.flags[row]! & ROW_DOC_IS_ID) !== 0 && v.documentNumber === v.id) v.documentNumber = v.id;
  const a = attrOf(t, t.attr[row]!);
  v.recordType = a.recordType;
  v.orderKey = orderKeyOf(v.orderRef);
  v.day = dayNumber(date);
  v.currency = t.currencies[t.currency[row]!]!;
  v.total = t.total[row]!;
  v.kind = a.kind;
  v.isTest = a.isTest;
  v.status = a.status;
  v.moneyMoved = a.moneyMoved;
  return v;
}

export function emptyValues(): FlatRowValues {
  return {
    rowId: 0,
    id: '',
    documentNumber: '',
    recordType: '',
    orderRef: '',
    orderKey: '',
    day: 0,
    currency: '',
    total: 0,
    kind: '',
    externalId: '',
    memo: '',
    isTest: false,
    status: '',
    appliesTo: '',
    moneyMoved: true,
  };
}
