import fs from 'node:fs';
import path from 'node:path';

/**
 * Finds the tables each source file names in SQL. A table is "named" where a keyword that reads or
 * writes it is followed by its name: FROM, JOIN, INTO, UPDATE, TABLE (so DELETE FROM, INSERT OR
 * REPLACE INTO and CREATE TABLE count too). Keywords are matched in capitals, as the house writes
 * SQL, which keeps English prose ("copied from refunds") out; comments are dropped first.
 * SQL whose table name is interpolated (`INSERT INTO ${table}`) is not seen: keep such names to a
 * literal type in the owner's folder (store/eliding-insert.ts).
 */

export interface TableMention {
  /** Path below src/main, with forward slashes. */
  file: string;
  line: number;
  table: string;
  text: string;
}

const KEYWORD = /\b(FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_][a-z0-9_]*)\b/g;

/** Blanks out block comments and line comments, keeping line numbers (newlines stay). */
export function withoutComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/^(\s*)\/\/.*$/gm, (_c, indent: string) => indent);
}

export function tableMentions(root: string, tables: ReadonlySet<string>, skip: (file: string) => boolean) {
  const out: TableMention[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const file = path.relative(root, full).split(path.sep).join('/');
        if (skip(file)) continue;
        const source = withoutComments(fs.readFileSync(full, 'utf8'));
        for (const m of source.matchAll(KEYWORD)) {
          const table = m[2]!;
          if (!tables.has(table)) continue;
          const line = source.slice(0, m.index).split('\n').length;
          out.push({ file, line, table, text: m[0].replace(/\s+/g, ' ') });
        }
      }
    }
  };
  walk(root);
  return out;
}
