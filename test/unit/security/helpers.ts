import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { z } from 'zod';
import type { AppContext } from '../../../src/main/context';
import { openWorkspace } from '../../../src/main/store/open';
import { createDemoWorkspace } from '../../../src/main/workspace/create-demo-workspace';

/** Every string the fuzzers generate starts with this, so it can be looked for in SQL text. */
export const MARK = 'Zq9x';

/** Injection strings for SQL, paths, formulas and the object model, each carrying the marker. */
export const HOSTILE = [
  "' OR 1=1 --",
  "'; DROP TABLE results; --",
  '" OR ""="',
  ') UNION SELECT name, sql FROM sqlite_master --',
  'date; DROP TABLE refunds',
  'severity DESC, (SELECT 1)',
  '1) OR (1=1',
  '%',
  '_',
  '\\',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '=HYPERLINK("http://evil.example")',
  '\u0000',
  '__proto__',
  'constructor',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, literal on purpose
  '${process.exit()}',
  '<script>alert(1)</script>',
].map((s) => `${MARK}${s}`);

export const markedString = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => `${MARK}${s}`),
  fc.constantFrom(...HOSTILE),
);

const leaf = fc.oneof(
  markedString,
  fc.integer(),
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, Number.NaN, Number.POSITIVE_INFINITY, 0.5, -0),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);

/** Any JSON-ish value whose strings carry the marker, including __proto__ / constructor keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.anything({
  key: fc.oneof(markedString, fc.constantFrom('__proto__', 'constructor', 'toString')),
  values: [leaf],
  maxDepth: 3,
  maxKeys: 5,
});

interface ZodDefLike {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  options?: unknown[];
}
function defOf(schema: unknown): ZodDefLike | undefined {
  return (schema as { _zod?: { def?: ZodDefLike } })._zod?.def;
}

/** The object keys a channel's input schema knows (through optional/default/pipe/union). */
export function inputKeys(schema: z.ZodType): string[] {
  const keys = new Set<string>();
  const visit = (s: unknown, depth: number) => {
    const def = defOf(s);
    if (!def || depth > 6) return;
    if (def.type === 'object' && def.shape) for (const k of Object.keys(def.shape)) keys.add(k);
    else if (def.type === 'union' && def.options) for (const o of def.options) visit(o, depth + 1);
    else if (def.innerType) visit(def.innerType, depth + 1);
    else if (def.in) visit(def.in, depth + 1);
  };
  visit(schema, 0);
  return [...keys];
}

/**
 * Payloads for one channel: anything at all, and "near misses" — objects with the channel's own
 * keys holding hostile values (so validation is exercised below the top level).
 */
export function payloadFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  const keys = inputKeys(schema);
  const nearMiss =
    keys.length === 0
      ? fc.dictionary(markedString, hostileValue, { maxKeys: 3 })
      : fc.record(Object.fromEntries(keys.map((k) => [k, fc.oneof(leaf, hostileValue)])), { requiredKeys: [] });
  return fc.oneof({ weight: 1, arbitrary: hostileValue }, { weight: 3, arbitrary: nearMiss });
}

export interface SeededWorkspace {
  ctx: AppContext;
  file: string;
  /** Every SQL text prepared, executed or pragma'd on ctx.db since the last reset. */
  sql: string[];
  close(): void;
}

/** The demo workspace (accounts, snapshots, a run) in a temp file, with SQL text recorded. */
export async function seededWorkspace(): Promise<SeededWorkspace> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-security-'));
  const file = path.join(dir, 'workspace.sqlite');
  await createDemoWorkspace(file);
  const db = openWorkspace(file);
  const sql: string[] = [];
  const prepare = db.prepare.bind(db);
  const exec = db.exec.bind(db);
  const pragma = db.pragma.bind(db);
  db.prepare = ((source: string) => {
    sql.push(source);
    return prepare(source);
  }) as typeof db.prepare;
  db.exec = ((source: string) => {
    sql.push(source);
    return exec(source);
  }) as typeof db.exec;
  db.pragma = ((source: string, options?: { simple?: boolean }) => {
    sql.push(`PRAGMA ${source}`);
    return pragma(source, options);
  }) as typeof db.pragma;
  const ctx: AppContext = { db, workspacePath: file, isDemo: true, appVersion: 'security-test', emit: () => {} };
  return {
    ctx,
    file,
    sql,
    close: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
