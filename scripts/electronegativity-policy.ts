/**
 * How `npm run test:security` judges an Electronegativity report: HIGH and MEDIUM findings fail
 * the run unless the allow-list (scripts/electronegativity-allow.json) names them with a reason;
 * files the scanner could not parse fail too (an unscanned file is an unchecked file).
 */
export interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  description: string;
}

export interface AllowEntry {
  /** The Electronegativity check id (e.g. CSP_GLOBAL_CHECK), or PARSE_ERROR. */
  id: string;
  /** Path relative to the project root, exactly as reported. */
  file: string;
  /** Why this is not a problem here; required, at least a sentence. */
  reason: string;
}

export interface Verdict {
  failures: string[];
  allowed: string[];
  notes: string[];
  unusedAllowEntries: AllowEntry[];
}

const BLOCKING = new Set(['HIGH', 'MEDIUM']);

export function validateAllowList(entries: unknown): AllowEntry[] {
  if (!Array.isArray(entries)) throw new Error('the allow-list must be a JSON array');
  return entries.map((entry, index) => {
    const e = entry as Partial<AllowEntry>;
    if (typeof e.id !== 'string' || e.id === '') throw new Error(`allow-list entry ${index}: "id" is required`);
    if (typeof e.file !== 'string' || e.file === '') throw new Error(`allow-list entry ${index}: "file" is required`);
    if (typeof e.reason !== 'string' || e.reason.trim().length < 20) {
      throw new Error(`allow-list entry ${index} (${e.id} in ${e.file}): give a reason of at least a sentence`);
    }
    return { id: e.id, file: e.file, reason: e.reason };
  });
}

export function judge(
  findings: readonly Finding[],
  parseErrors: readonly { file: string; message: string }[],
  allowList: readonly AllowEntry[],
): Verdict {
  const used = new Set<AllowEntry>();
  const match = (id: string, file: string) => {
    const entry = allowList.find((e) => e.id === id && e.file === file);
    if (entry) used.add(entry);
    return entry;
  };
  const verdict: Verdict = { failures: [], allowed: [], notes: [], unusedAllowEntries: [] };
  for (const f of findings) {
    const text = `${f.severity}/${f.confidence} ${f.id} ${f.file}:${f.line} — ${f.description}`;
    if (!BLOCKING.has(f.severity.toUpperCase())) {
      verdict.notes.push(text);
      continue;
    }
    const entry = match(f.id, f.file);
    if (entry) verdict.allowed.push(`${text} [allowed: ${entry.reason}]`);
    else verdict.failures.push(text);
  }
  for (const e of parseErrors) {
    const entry = match('PARSE_ERROR', e.file);
    const text = `PARSE_ERROR ${e.file} — ${e.message}`;
    if (entry) verdict.allowed.push(`${text} [allowed: ${entry.reason}]`);
    else verdict.failures.push(text);
  }
  verdict.unusedAllowEntries = allowList.filter((e) => !used.has(e));
  return verdict;
}
