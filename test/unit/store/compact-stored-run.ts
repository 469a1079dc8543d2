import type Database from 'better-sqlite3';
import { COMPACT_DROPS_TENDER_TEXT } from '../../../src/main/reconcile/runs/compactable';
import { MATCHED_BY_CODES } from '../../../src/main/reconcile/runs/matched-results';
import { EXCHANGE_BLOCK_BIT, TENDER_CLASS_BITS } from '../../../src/main/reconcile/tender-class-bits';

/**
 * Tests of the readers of `matched_results` (migration 026): stores a run "the other way" by moving
 * its results that the compact table can stand for out of `results` into `matched_results`, in SQL,
 * so each reader's answers over the same run can be compared both ways. Moves a result only when
 * every column a reader derives equals the stored one (what the writer must prove before it writes
 * a compact row): key `sf:<its first storefront record>`, code `matched`, severity `ok`, no hint,
 * no tender text, the constant detail (a roll-up's: its storefront ids), one or two NetSuite
 * records in the row, order ref/key, currency and date of the first storefront record, both totals
 * the storefront records' sum, difference 0. Returns how many rows moved.
 *
 * `dropTenderText` (default: the writer's `COMPACT_DROPS_TENDER_TEXT`, runs/compactable.ts): also
 * move results whose tender split is stored (dropping it: the readers rebuild it from the records;
 * the row keeps its classes), unless it shows a dispute, which the records do not hold.
 */
export function compactStoredRun(
  db: Database.Database,
  runId: number,
  options: { dropTenderText?: boolean } = {},
): number {
  const dropTenderText = options.dropTenderText ?? COMPACT_DROPS_TENDER_TEXT;
  const tenders = dropTenderText
    ? "(r.tenders IS NULL OR json_extract(r.tenders, '$.dispute') IS NULL)"
    : 'r.tenders IS NULL';
  // The dropped split's classes and exchange block, read from its text (tender-filter.ts reads the
  // same phrases: `"class":"money"` appears only in byClass).
  const classBits = `CASE WHEN r.tenders IS NULL THEN NULL ELSE ${[
    ...Object.entries(TENDER_CLASS_BITS).map(
      ([c, bit]) => `(CASE WHEN instr(r.tenders, '"class":"${c}"') > 0 THEN ${bit} ELSE 0 END)`,
    ),
    `(CASE WHEN instr(r.tenders, '"exchange":{') > 0 THEN ${EXCHANGE_BLOCK_BIT} ELSE 0 END)`,
  ].join(' + ')} END`;
  const ruleCode = `CASE r.matched_by ${MATCHED_BY_CODES.map((name, code) => `WHEN '${name}' THEN ${code}`).join(' ')} END`;
  const others = "json_remove(json_extract(r.detail, '$.storefrontRowIds'), '$[0]')";
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO matched_results (id, run_id, storefront_refund_id, storefront_others, netsuite_refund_id, netsuite_refund_id_2, matched_by, currency, date, total, tender_classes)
       SELECT r.id, r.run_id, r.storefront_refund_id,
              CASE WHEN r.detail = '{"issues":["matched"]}' THEN NULL ELSE ${others} END,
              r.netsuite_refund_id, r.netsuite_refund_id_2, ${ruleCode}, r.currency, r.date, r.storefront_total, ${classBits}
       FROM results r JOIN refunds sf ON sf.id = r.storefront_refund_id
       WHERE r.run_id = ? AND r.code = 'matched' AND r.severity = 'ok' AND r.hint = '' AND ${tenders}
         AND r.result_key = 'sf:' || sf.source_id AND r.netsuite_refund_id IS NOT NULL
         AND r.order_ref = sf.order_ref AND r.order_key = sf.order_key AND r.currency = sf.currency
         AND r.date IS sf.date AND r.difference = 0 AND r.netsuite_total IS r.storefront_total
         AND (r.detail = '{"issues":["matched"]}'
              OR (r.detail = json_object('issues', json_array('matched'), 'storefrontRowIds', json_extract(r.detail, '$.storefrontRowIds'))
                  AND json_extract(r.detail, '$.storefrontRowIds[0]') = r.storefront_refund_id))
         AND r.storefront_total = (SELECT sum(s.total) FROM refunds s WHERE s.id = r.storefront_refund_id
               OR (r.detail <> '{"issues":["matched"]}'
                   AND s.id IN (SELECT value FROM json_each(json_extract(r.detail, '$.storefrontRowIds')))))
         AND ${ruleCode} IS NOT NULL
       ORDER BY r.id`,
    ).run(runId);
    const moved = db
      .prepare('DELETE FROM results WHERE id IN (SELECT id FROM matched_results WHERE run_id = ?)')
      .run(runId).changes;
    return moved;
  })();
}
