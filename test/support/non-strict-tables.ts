import type Database from 'better-sqlite3';

/**
 * Ordinary tables of the workspace that are not STRICT. SQLite's own tables (sqlite_stat1 from
 * ANALYZE) and FTS5 virtual tables with their shadow tables cannot be STRICT, so they are left out.
 */
export function nonStrictTables(db: Database.Database): string[] {
  const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").all() as {
    name: string;
    sql: string | null;
  }[];
  const virtual = tables.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql ?? '')).map((t) => t.name);
  return tables
    .filter((t) => !t.name.startsWith('sqlite_'))
    .filter((t) => !virtual.some((v) => t.name === v || t.name.startsWith(`${v}_`)))
    .filter((t) => !/\bSTRICT\b/i.test(t.sql ?? ''))
    .map((t) => t.name);
}
