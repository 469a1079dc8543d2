import { dayNumber } from '../../../shared/day-number';
import type { CanonicalRefund } from '../../../shared/model';
import { type MemorySnapshot, MemorySnapshotBuilder } from '../../store/memory-snapshot';
import type { ReconcileResult } from '../engine';
import { describeNetsuite } from '../hints';
import { MatchedRows } from '../matched-rows';
import { quickClass } from '../tender-check';
import { sideTenders } from '../tender-output';
import type { ComboKey } from './candidate-pairs';
import { attrOf, type FlatTable } from './flat-table';
import { emptyValues } from './row-values';

/**
 * What the engine makes of each combination of a candidate pair's record types, kinds, statuses,
 * flags, currency and pairing (candidate-pairs.ts), asked of the engine itself: one synthetic pair
 * per combination, each its own order, compared like the real files (`MemorySnapshotBuilder.addFlat`
 * and the same compare), so no rule of the engine, hints or tenders is restated here. A
 * combination is plain when its result is one the CSV template writes (`MatchedRows.add`) with one
 * settled tender of one kind a side for the whole total and no tender check: then every real pair
 * of it gives the same row but for the cells copied from the files.
 */
export interface ComboVerdict {
  plain: boolean;
  matchedBy: string;
  /** describeNetsuite's label of the record type, with its blank (`Cash Refund `). */
  label: string;
  sfKind: string;
  nsKind: string;
  /** The tender class each side's money counts in (the summary's byClass). */
  sfClass: string;
  nsClass: string;
}

const NOT_PLAIN: ComboVerdict = {
  plain: false,
  matchedBy: '',
  label: '',
  sfKind: '',
  nsKind: '',
  sfClass: '',
  nsClass: '',
};
const SYNTHETIC_DAY = dayNumber('2025-01-01');
const QUICK_CLASS_NAMES = ['money', 'stored_value', 'exchange', 'other'];

/** Synthetic refund ids of combination k. */
const sfIdOf = (k: number) => String(910_000_000 + k);
const nsIdOf = (k: number) => String(5_100_000 + k);

/** One storefront and one NetSuite memory snapshot holding a synthetic pair per combination. */
export function comboSnapshots(
  combos: readonly ComboKey[],
  sf: FlatTable,
  ns: FlatTable,
): { storefront: MemorySnapshot; netsuite: MemorySnapshot } {
  const sfb = new MemorySnapshotBuilder('storefront', 'none', 1);
  const nsb = new MemorySnapshotBuilder('netsuite', 'externalId', 2 ** 40);
  const v = emptyValues();
  combos.forEach((c, k) => {
    const total = c.zero ? 0 : 100;
    const fill = (attr: ReturnType<typeof attrOf>, id: string, doc: string, externalId: string) => {
      v.id = id;
      v.documentNumber = doc;
      v.recordType = attr.recordType;
      v.orderRef = `#S${k}`;
      v.orderKey = `S${k}`;
      v.day = SYNTHETIC_DAY;
      v.currency = c.currency;
      v.total = total;
      v.kind = attr.kind;
      v.externalId = externalId;
      v.memo = '';
      v.isTest = attr.isTest;
      v.status = attr.status;
      v.appliesTo = '';
      v.moneyMoved = attr.moneyMoved;
    };
    fill(attrOf(sf, c.sfAttr), sfIdOf(k), sfIdOf(k), '');
    sfb.addFlat(v);
    fill(attrOf(ns, c.nsAttr), nsIdOf(k), `CR${k}`, c.byKey ? sfIdOf(k) : '');
    nsb.addFlat(v);
  });
  return { storefront: sfb.finish(combos.length, []), netsuite: nsb.finish(combos.length, []) };
}

/** The verdict of each combination from the synthetic comparison's results. */
export function comboVerdicts(combos: readonly ComboKey[], results: readonly ReconcileResult[]): ComboVerdict[] {
  const byKey = new Map(results.map((r) => [r.key, r]));
  return combos.map((c, k) => {
    const r = byKey.get(`sf:${sfIdOf(k)}`);
    if (!r) return NOT_PLAIN;
    const total = c.zero ? 0 : 100;
    if (
      r.code !== 'matched' ||
      r.severity !== 'ok' ||
      r.difference !== 0 ||
      r.presentment ||
      r.tenderCheck !== null ||
      r.currency !== c.currency ||
      r.storefrontTotal !== total ||
      r.netsuiteTotal !== total ||
      r.storefront.length !== 1 ||
      r.netsuite.length !== 1 ||
      r.units.length !== 1 ||
      r.units[0]!.members.length !== 1 ||
      r.netsuite[0]!.id !== nsIdOf(k) ||
      r.netsuite[0]!.recordType === 'creditMemo' ||
      (r.matchedBy !== 'refund_key' && r.matchedBy !== 'order_total')
    ) {
      return NOT_PLAIN;
    }
    const tenders = sideTenders(r);
    const a = tenders.storefront[0];
    const b = tenders.netsuite[0];
    if (
      tenders.storefront.length !== 1 ||
      tenders.netsuite.length !== 1 ||
      a!.kind !== b!.kind ||
      a!.state !== 'settled' ||
      b!.state !== 'settled' ||
      a!.amount !== total ||
      b!.amount !== total ||
      !/^[a-z_]+$/.test(a!.kind)
    ) {
      return NOT_PLAIN;
    }
    // The template takes it (every rule of matched-rows.ts) …
    if (!new MatchedRows().add(r)) return NOT_PLAIN;
    const described = describeNetsuite({
      recordType: r.netsuite[0]!.recordType,
      documentNumber: 'D',
      id: '',
    } as CanonicalRefund);
    const label = described.slice(0, -1);
    if (!/^[A-Za-z ]*$/.test(label)) return NOT_PLAIN;
    // … and the summary counts each side's money in one class.
    const qs = quickClass(r.storefront[0]!);
    const qn = quickClass(r.units[0]!.primary);
    if (qs < 0 || qs > 3 || qn < 0 || qn > 3) return NOT_PLAIN;
    return {
      plain: true,
      matchedBy: r.matchedBy,
      label,
      sfKind: a!.kind,
      nsKind: b!.kind,
      sfClass: QUICK_CLASS_NAMES[qs]!,
      nsClass: QUICK_CLASS_NAMES[qn]!,
    };
  });
}
