import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dropReviewIndexesForLargeRun } from '../src/main/reconcile/runs/review-indexes';

/**
 * What storing a run would cost with plain matches in another table layout (issue 15, "a stored
 * run of 1M results ≤ 5 s"; docs/benchmarks/reconcile.md, session 8). Replays the rows of a run
 * already stored (by `reconcile-step.ts store`) into a copy of the workspace it was stored in,
 * taken before that store (the `prepare` workspace: snapshots, no run), bound from JavaScript 64
 * a statement in one transaction as the writer does, and prints the CPU of the inserts and commit.
 * No matching, no writer JavaScript: only binding and SQLite's own work, so layouts compare alone.
 *
 *   node --require tsx/cjs bench/store-replay.ts <stored.sqlite> <runId> <prepared.sqlite> <layout>
 *
 * Layouts (non-plain results go to `results` in all of them; plain = code `matched`, severity
 * `ok`, no hint, the constant detail, no link rows — the writer's plain rows):
 *   results      every result in `results` (today's store, with the three kept indexes)
 *   plain-wide   plain matches in a table of every column that is not constant, an index on run_id
 *   plain-narrow plain matches as ids only (run, storefront and NetSuite record ids, tender text),
 *                the other columns to be derived from the refunds they name; an index on run_id
 *   plain-bare   plain-narrow with no index and no foreign key
 */

const MATCHED_DETAIL = JSON.stringify({ issues: ['matched'] });
const ROWS_PER_INSERT = 64;

const WIDE = [
  'id',
  'run_id',
  'result_key',
  'order_ref',
  'order_key',
  'currency',
  'date',
  'storefront_refund_id',
  'storefront_total',
  'netsuite_total',
  'difference',
  'matched_by',
  'search_text',
  'tenders',
  'netsuite_refund_id',
  'netsuite_refund_id_2',
];
const NARROW = ['id', 'run_id', 'storefront_refund_id', 'tenders', 'netsuite_refund_id', 'netsuite_refund_id_2'];

const LAYOUTS: Record<string, { ddl: string; columns: string[] } | null> = {
  results: null,
  'plain-wide': {
    ddl: `CREATE TABLE replay_plain (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES comparison_runs(id) ON DELETE CASCADE,
      result_key TEXT NOT NULL, order_ref TEXT NOT NULL, order_key TEXT NOT NULL, currency TEXT NOT NULL, date TEXT,
      storefront_refund_id INTEGER, storefront_total INTEGER, netsuite_total INTEGER, difference INTEGER NOT NULL,
      matched_by TEXT NOT NULL, search_text TEXT NOT NULL, tenders TEXT, netsuite_refund_id INTEGER, netsuite_refund_id_2 INTEGER) STRICT;
      CREATE INDEX replay_plain_by_run ON replay_plain(run_id);`,
    columns: WIDE,
  },
  'plain-narrow': {
    ddl: `CREATE TABLE replay_plain (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES comparison_runs(id) ON DELETE CASCADE,
      storefront_refund_id INTEGER, tenders TEXT, netsuite_refund_id INTEGER, netsuite_refund_id_2 INTEGER) STRICT;
      CREATE INDEX replay_plain_by_run ON replay_plain(run_id);`,
    columns: NARROW,
  },
  'plain-bare': {
    ddl: `CREATE TABLE replay_plain (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL,
      storefront_refund_id INTEGER, tenders TEXT, netsuite_refund_id INTEGER, netsuite_refund_id_2 INTEGER) STRICT;`,
    columns: NARROW,
  },
};

type Row = Record<string, unknown>;

/** Inserts `rows` (their `columns`) into `table`, 64 a statement, the rest one by one. */
function insertAll(db: Database.Database, table: string, columns: string[], rows: Row[]): void {
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const many = db.prepare(
    `INSERT INTO ${table} (${columns.join(',')}) VALUES ${new Array(ROWS_PER_INSERT).fill(tuple).join(',')}`,
  );
  const one = db.prepare(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${tuple}`);
  let k = 0;
  for (; k + ROWS_PER_INSERT <= rows.length; k += ROWS_PER_INSERT) {
    const params: unknown[] = [];
    for (let j = k; j < k + ROWS_PER_INSERT; j++) for (const c of columns) params.push(rows[j]![c]);
    many.run(params);
  }
  for (; k < rows.length; k++) one.run(columns.map((c) => rows[k]![c]));
}

function main(): void {
  const [stored, runIdText, prepared, layoutName = 'results'] = process.argv.slice(2);
  if (!stored || !runIdText || !prepared || !(layoutName in LAYOUTS))
    throw new Error(
      `usage: store-replay <stored.sqlite> <runId> <prepared.sqlite> <${Object.keys(LAYOUTS).join('|')}>`,
    );
  const layout = LAYOUTS[layoutName]!;
  const runId = Number(runIdText);
  const source = new Database(stored, { readonly: true });
  const run = source.prepare('SELECT * FROM comparison_runs WHERE id = ?').get(runId) as Row | undefined;
  if (!run) throw new Error(`no run ${runId} in ${stored}`);
  const rows = source.prepare('SELECT * FROM results WHERE run_id = ? ORDER BY id').all(runId) as Row[];
  const linked = new Set(
    (
      source
        .prepare(
          'SELECT DISTINCT l.result_id AS id FROM result_netsuite_records l JOIN results r ON r.id = l.result_id WHERE r.run_id = ?',
        )
        .all(runId) as Array<{ id: number }>
    ).map((l) => l.id),
  );
  const links = source
    .prepare('SELECT l.* FROM result_netsuite_records l JOIN results r ON r.id = l.result_id WHERE r.run_id = ?')
    .all(runId) as Row[];
  source.close();
  const columns = Object.keys(rows[0] ?? {});
  const isPlain = (r: Row) =>
    r.code === 'matched' &&
    r.severity === 'ok' &&
    r.hint === '' &&
    r.detail === MATCHED_DETAIL &&
    !linked.has(r.id as number);
  const plain = layout ? rows.filter(isPlain) : [];
  const rest = layout ? rows.filter((r) => !isPlain(r)) : rows;

  const target = path.join(os.tmpdir(), `store-replay-${process.pid}.sqlite`);
  fs.copyFileSync(prepared, target);
  const db = new Database(target);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.prepare(
      'INSERT INTO comparison_runs (id, storefront_snapshot_id, netsuite_snapshot_id, rules, status, started_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(runId, run.storefront_snapshot_id, run.netsuite_snapshot_id, run.rules, 'running', run.started_at);
    if (layout) db.exec(layout.ddl);
    // As the writer does for a run this large against what is stored (outside the timed part here).
    dropReviewIndexesForLargeRun(db, rows.length, 0);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    db.exec('BEGIN');
    insertAll(db, 'results', columns, rest);
    if (links.length > 0) insertAll(db, 'result_netsuite_records', Object.keys(links[0]!), links);
    if (layout) insertAll(db, 'replay_plain', layout.columns, plain);
    db.exec('COMMIT');
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(
      `${JSON.stringify({ layout: layoutName, results: rows.length, plain: plain.length, cpuMs: Math.round((cpu.user + cpu.system) / 1000), wallMs: Math.round(performance.now() - t0), load: os.loadavg()[0]!.toFixed(2) })}\n`,
    );
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(target + suffix, { force: true });
  }
}

main();
