import { UserError } from '../../shared/errors';

/** A column the importer knows, with the header names it accepts (compared case-insensitively). */
export interface ColumnSpec {
  key: string;
  name: string;
  synonyms: readonly string[];
  required?: boolean;
}

export function normHeader(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');
}

/**
 * Finds each known column's index in the header. A mapping (canonical name → the user's header)
 * wins over synonyms. Missing required columns are one error listing all of them and the headers found.
 */
export function resolveColumns(
  header: string[],
  specs: readonly ColumnSpec[],
  file: string,
  mapping: Record<string, string> | undefined,
  requiredExtra: readonly string[] = [],
): Record<string, number> {
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    const key = normHeader(h);
    if (key !== '' && !index.has(key)) index.set(key, i);
  });
  const mapped = new Map<string, string>();
  for (const [k, v] of Object.entries(mapping ?? {})) mapped.set(normHeader(k), normHeader(v));
  const out: Record<string, number> = {};
  const missing: ColumnSpec[] = [];
  for (const spec of specs) {
    const target = mapped.get(normHeader(spec.name)) ?? mapped.get(normHeader(spec.key));
    let found = -1;
    if (target !== undefined) {
      found = index.get(target) ?? -1;
      if (found < 0) {
        throw new UserError(
          'mapping_column_missing',
          `The mapping says column "${spec.name}" is "${target}", but the header has no such column. Found columns: ${header.join(', ')}. Fix the mapping file.`,
          { file, line: 1, column: spec.name },
        );
      }
    } else {
      for (const name of [spec.name, ...spec.synonyms]) {
        const i = index.get(normHeader(name));
        if (i !== undefined) {
          found = i;
          break;
        }
      }
    }
    out[spec.key] = found;
    if (found < 0 && (spec.required || requiredExtra.includes(spec.key))) missing.push(spec);
  }
  if (missing.length > 0) {
    const names = missing
      .map((s) => `"${s.name}"${s.synonyms.length ? ` (or ${s.synonyms.map((x) => `"${x}"`).join(', ')})` : ''}`)
      .join('; ');
    throw new UserError(
      'missing_column',
      `Missing required column${missing.length > 1 ? 's' : ''} ${names}. Found columns: ${header.slice(0, 30).join(', ')}. Add ${missing.length > 1 ? 'them' : 'it'} to the export, or map your header names to ours (a mapping such as {"${missing[0]!.name}": "Your Header"}).`,
      { file, line: 1, column: missing[0]!.name },
    );
  }
  return out;
}
