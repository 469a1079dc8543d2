import type { Db } from './open';

/** Columns that are left out of a batch's INSERT together when every row holds their defaults. */
export interface DefaultGroup {
  columns: readonly string[];
  /** The column defaults of the schema (NULL: null), in `columns` order. */
  defaults: readonly unknown[];
}

/** The tables the snapshot writer fills (a literal type: SQL text is built from it). */
export type WriterTable = 'refunds' | 'refund_lines';

export function insertSql(table: WriterTable, columns: readonly string[], rows: number): string {
  const tuple = `(${columns.map(() => '?').join(',')})`;
  return `INSERT INTO ${table} (${columns.join(',')}) VALUES ${new Array(rows).fill(tuple).join(',')}`;
}

interface Shape {
  run(params: unknown[]): unknown;
  /** Positions (in the full row) of the columns this statement binds; null = all of them. */
  kept: Int32Array | null;
  buffer: unknown[];
}

/** Distinct statements kept per writer; beyond that a batch uses the full statement. */
const MAX_SHAPES = 32;

/**
 * A multi-row INSERT of `rows` rows that leaves out, per batch, the groups of columns whose values
 * are all their column's default in every row of that batch, so SQLite fills them in. Binding is
 * most of an insert's cost in better-sqlite3 (a property read, a conversion and a copy per
 * parameter): a refund of the flat benchmark binds 12 values instead of 29, which measured about a
 * third less CPU per row. The rows written are the same (the schema's defaults are the values
 * left out; a test compares every column). One prepared statement per shape met, at most 32.
 */
export class ElidingInsert {
  private readonly width: number;
  private readonly groups: { at: Int32Array; defaults: readonly unknown[] }[];
  private readonly shapes = new Map<number, Shape>();

  constructor(
    private readonly db: Db,
    private readonly table: WriterTable,
    private readonly columns: readonly string[],
    groups: readonly DefaultGroup[],
    private readonly rows: number,
  ) {
    this.width = columns.length;
    // Only groups whose columns all exist in this schema (older schemas lack some).
    this.groups = groups
      .filter((g) => g.columns.every((c) => columns.includes(c)))
      .map((g) => ({ at: Int32Array.from(g.columns, (c) => columns.indexOf(c)), defaults: g.defaults }));
  }

  /** Inserts `rows` full-width rows from `params` (rows × columns values, left unchanged). */
  run(params: unknown[]): void {
    const width = this.width;
    const total = this.rows * width;
    let mask = 0;
    for (let g = 0; g < this.groups.length; g++) {
      const { at, defaults } = this.groups[g]!;
      let all = true;
      for (let base = 0; all && base < total; base += width) {
        for (let j = 0; j < at.length; j++) {
          if (params[base + at[j]!] !== defaults[j]) {
            all = false;
            break;
          }
        }
      }
      if (all) mask |= 1 << g;
    }
    const shape = this.shape(mask);
    const kept = shape.kept;
    if (kept === null) {
      shape.run(params);
      return;
    }
    const out = shape.buffer;
    let o = 0;
    for (let base = 0; base < total; base += width) {
      for (let j = 0; j < kept.length; j++) out[o++] = params[base + kept[j]!];
    }
    shape.run(out);
  }

  private shape(mask: number): Shape {
    let shape = this.shapes.get(mask);
    if (shape) return shape;
    if (mask !== 0 && this.shapes.size >= MAX_SHAPES) return this.shape(0);
    const left = new Set<number>();
    for (let g = 0; g < this.groups.length; g++) if (mask & (1 << g)) for (const i of this.groups[g]!.at) left.add(i);
    const keptAt: number[] = [];
    for (let i = 0; i < this.width; i++) if (!left.has(i)) keptAt.push(i);
    const statement = this.db.prepare(
      insertSql(
        this.table,
        keptAt.map((i) => this.columns[i]!),
        this.rows,
      ),
    );
    shape = {
      // Spread, not the array: better-sqlite3 binds an array argument through a V8 property read
      // per element (Object::Get), but arguments straight from the call; the same values either way.
      run: (params) => statement.run(...params),
      kept: mask === 0 ? null : Int32Array.from(keptAt),
      buffer: mask === 0 ? [] : new Array(this.rows * keptAt.length),
    };
    this.shapes.set(mask, shape);
    return shape;
  }
}
