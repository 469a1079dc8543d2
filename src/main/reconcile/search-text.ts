/**
 * A result's search text (`results.search_text`, the review's search): its order reference, its
 * storefront records' ids, each NetSuite record's document number and id, lower-cased by
 * JavaScript (SQLite's lower() folds ASCII only; the query is lower-cased the same way). The writer
 * stores it with a `results` row; the search index derives it for a compact row (migration 026)
 * from the records the row names, so both must build it here.
 */
export function resultSearchText(
  orderRef: string,
  storefront: ReadonlyArray<{ id: string }>,
  netsuite: ReadonlyArray<{ documentNumber: string; id: string }>,
): string {
  let text = orderRef;
  for (const s of storefront) text += ` ${s.id}`;
  for (const n of netsuite) text += ` ${n.documentNumber} ${n.id}`;
  return text.toLowerCase();
}
