import { dayNumber } from '../../../shared/day-number';
import type { FlatRowValues } from '../../store/column-collector';
import { orderKeyOf } from '../../store/memory-snapshot';
import { attrOf, type FlatTable, ROW_DOC_IS_ID } from './flat-table';

/**
 * One row of a FlatTable as the values the byte-level reader hands to `MemorySnapshotBuilder.addFlat`
 * (importers/canonical-csv-flat.ts `flatValues`): what the rows the fast path cannot decide become,
 * for the general engine. `v.rowId` is set by the builder.
 */
export function rowValues(t: FlatTable, row: number, v: FlatRowValues): FlatRowValues {
  const b = t.bytes;
  const start = t.rowStart[row]!;
  const end = start + t.rowLength[row]!;
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
  const a = attrOf(t, t.attr[row]!);
  v.id = text(c.id);
  // The reader reuses the id's string when the document number is the same text.
  const doc = text(c.documentNumber);
  v.documentNumber = (t.flags[row]! & ROW_DOC_IS_ID) !== 0 && doc === v.id ? v.id : doc;
  v.recordType = a.recordType;
  v.orderRef = text(c.orderRef);
  v.orderKey = orderKeyOf(v.orderRef);
  v.day = dayNumber(text(c.date));
  v.currency = t.currencies[t.currency[row]!]!;
  v.total = t.total[row]!;
  v.kind = a.kind;
  v.externalId = text(c.externalId);
  v.memo = text(c.memo);
  v.isTest = a.isTest;
  v.status = a.status;
  v.appliesTo = text(c.appliesTo);
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
