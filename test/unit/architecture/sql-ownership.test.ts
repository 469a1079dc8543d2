import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/store/open';
import { OWN_DATABASES, SQL_OWNERS } from './sql-owners';
import { tableMentions } from './sql-scan';

/**
 * Issue 12 §4, enforced: the SQL of each table lives in its owner module or in an aggregate listed
 * for it (sql-owners.ts), and CONTRIBUTING.md documents the same map.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const MAIN = path.join(ROOT, 'src/main');

/** The workspace's tables after every migration (FTS shadow tables belong to their virtual table). */
function schemaTables(): string[] {
  const db = openWorkspace(':memory:');
  try {
    const rows = db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as Array<{ name: string; sql: string | null }>;
    const virtual = rows.filter((r) => /^CREATE VIRTUAL TABLE/i.test(r.sql ?? '')).map((r) => r.name);
    return rows.map((r) => r.name).filter((name) => !virtual.some((v) => name.startsWith(`${v}_`)));
  } finally {
    db.close();
  }
}

const mentions = () =>
  tableMentions(
    MAIN,
    new Set(Object.keys(SQL_OWNERS)),
    (file) => file.startsWith('store/migrations/') || file in OWN_DATABASES,
  );

/** CONTRIBUTING.md's table → owner → aggregates rows. */
function documentedMap(): Record<string, { owner: string; aggregates: string[] }> {
  const text = fs.readFileSync(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8');
  const start = text.indexOf('## SQL: which module owns which table');
  const section = text.slice(start, text.indexOf('\n## ', start + 1));
  const out: Record<string, { owner: string; aggregates: string[] }> = {};
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim().replaceAll('`', ''));
    if (cells.length !== 5 || !/^[a-z_]+$/.test(cells[1]!)) continue;
    const aggregates = cells[3] === '—' ? [] : cells[3]!.split(',').map((a) => a.trim());
    out[cells[1]!] = { owner: cells[2]!, aggregates };
  }
  return out;
}

describe('the SQL scan', () => {
  it('finds a table after each keyword, in capitals, outside comments', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sql-scan-'));
    try {
      fs.mkdirSync(path.join(dir, 'a'));
      fs.writeFileSync(
        path.join(dir, 'a', 'x.ts'),
        [
          '// SELECT * FROM refunds (a comment)',
          '/* DELETE FROM refunds */',
          "const help = 'tell chargebacks from refunds';",
          "db.prepare('SELECT id FROM refunds_by_day');",
          'db.prepare(`SELECT r.id FROM results r',
          '  JOIN refunds f ON f.id = r.refund_id`);',
          "db.prepare('INSERT OR REPLACE INTO snapshots (id) VALUES (?)');",
          "db.prepare('UPDATE snapshots SET label = ?');",
        ].join('\n'),
      );
      const found = tableMentions(dir, new Set(['refunds', 'results', 'snapshots']), () => false);
      expect(found.map((m) => `${m.file}:${m.line} ${m.text}`)).toEqual([
        'a/x.ts:5 FROM results',
        'a/x.ts:6 JOIN refunds',
        'a/x.ts:7 INTO snapshots',
        'a/x.ts:8 UPDATE snapshots',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQL ownership (issue 12 §4)', () => {
  it('maps every table of the migrated schema, and only those', () => {
    expect(Object.keys(SQL_OWNERS).sort()).toEqual(schemaTables());
  });

  it('keeps the SQL naming each table in its owner and its listed aggregates', () => {
    const outside = mentions()
      .filter((m) => {
        const entry = SQL_OWNERS[m.table]!;
        return m.file !== entry.owner && !entry.aggregates.includes(m.file);
      })
      .map(
        (m) =>
          `src/main/${m.file}:${m.line} "${m.text}": call ${SQL_OWNERS[m.table]!.owner} (the owner of ${m.table}), ` +
          'or make this a named aggregate module and list it in test/unit/architecture/sql-owners.ts and CONTRIBUTING.md',
      );
    expect(outside).toEqual([]);
  });

  it('lists only modules that hold SQL on the table (no stale entries)', () => {
    const seen = new Set(mentions().map((m) => `${m.table} ${m.file}`));
    const stale = Object.entries(SQL_OWNERS).flatMap(([table, { owner, aggregates }]) =>
      [owner, ...aggregates]
        .filter((file) => !seen.has(`${table} ${file}`))
        .map((file) => `${table}: src/main/${file} names no ${table} in SQL; remove it from the map`),
    );
    expect(stale).toEqual([]);
  });

  it('agrees with the table in CONTRIBUTING.md', () => {
    const expected = Object.fromEntries(
      Object.entries(SQL_OWNERS).map(([t, e]) => [t, { owner: e.owner, aggregates: [...e.aggregates] }]),
    );
    expect(documentedMap()).toEqual(expected);
  });
});
