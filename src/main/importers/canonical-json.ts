import { CanonicalRefund, type CanonicalRefundInput } from '../../shared/model';
import { type ImportContext, inputError, isObj, shown } from './common';
import { readJson } from './json-stream';
import type { TextSource } from './source';

/**
 * `canonical-json`: this app's own model — exactly the CanonicalRefund schema of
 * src/shared/model.ts, as an array, `{"refunds":[…]}`, or one refund per line (JSON Lines).
 * Amounts are integer minor units, as in the schema, so files round-trip exactly.
 */
export async function* canonicalJsonRefunds(
  source: TextSource,
  ctx: ImportContext,
): AsyncGenerator<CanonicalRefundInput> {
  for await (const item of readJson(source, { containerKeys: ['refunds'] })) {
    if (item.key?.startsWith('.')) continue;
    const where = { file: ctx.file, line: item.line };
    const values =
      item.key === null && isObj(item.value) && Array.isArray(item.value.refunds)
        ? item.value.refunds
        : item.key === null && Array.isArray(item.value)
          ? item.value
          : [item.value];
    for (const value of values) {
      ctx.rows++;
      const parsed = CanonicalRefund.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.path.join('.') || '(refund)';
        const id = isObj(value) && typeof value.id === 'string' ? ` (refund ${value.id})` : '';
        throw inputError(
          'invalid_refund',
          `Not a valid canonical refund${id}: ${field}: ${issue.message}${issue.code === 'invalid_type' && isObj(value) ? `, found ${shown(fieldValue(value, issue.path))}` : ''}. See docs/importers.md for the format.`,
          { ...where, field },
        );
      }
      if (parsed.data.side !== ctx.side) {
        throw inputError(
          'wrong_side',
          `This file holds ${parsed.data.side} refunds, but you are importing the ${ctx.side} side. Import it as the ${parsed.data.side} side.`,
          { ...where, field: 'side' },
        );
      }
      yield parsed.data;
    }
  }
}

function fieldValue(value: Record<string, unknown>, path: PropertyKey[]): unknown {
  let v: unknown = value;
  for (const key of path) v = isObj(v) || Array.isArray(v) ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}
