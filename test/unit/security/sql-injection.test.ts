import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderRefField, refundWhere } from '../../../src/main/connectors/netsuite/refund-query';
import { dispatch } from '../../../src/main/dispatch';
import { SORTABLE_COLUMNS } from '../../../src/shared/contract/run';
import { HOSTILE, MARK, type SeededWorkspace, seededWorkspace } from './helpers';

/**
 * Every user-controlled sort or filter reaches SQL through an allow-list (sort columns, enums) or
 * as a bound parameter (free text). Each input of the results query — and of the other queries
 * that take one — gets the injection strings; the schema refuses them or they match as plain text,
 * the workspace is unchanged, and no payload text ever appears in SQL.
 */

let ws: SeededWorkspace;
let runId: number;
let resultKey: string;
const counts = () =>
  Object.fromEntries(
    ['results', 'refunds', 'snapshots', 'comparison_runs', 'annotations', 'audit_log'].map((t) => [
      t,
      (ws.ctx.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
    ]),
  );
let before: Record<string, number>;

beforeAll(async () => {
  ws = await seededWorkspace();
  const runs = (await dispatch('run:list', {}, ws.ctx)) as { ok: true; value: { id: number }[] };
  runId = runs.value[0]!.id;
  const page = (await dispatch('run:results', { runId, limit: 1 }, ws.ctx)) as {
    ok: true;
    value: { rows: { key: string }[] };
  };
  resultKey = page.value.rows[0]!.key;
  before = counts();
}, 60_000);
afterAll(() => ws?.close());

async function call(channel: string, payload: unknown) {
  ws.sql.length = 0;
  const result = await dispatch(channel, payload, ws.ctx);
  for (const text of ws.sql) expect(text.includes(MARK), `payload text inside SQL: ${text}`).toBe(false);
  return result;
}

const ENUM_AND_FORMAT_INPUTS = {
  sort: (s: string) => ({ sort: s }),
  direction: (s: string) => ({ direction: s }),
  codes: (s: string) => ({ codes: [s] }),
  severities: (s: string) => ({ severities: [s] }),
  currencies: (s: string) => ({ currencies: [s] }),
  annotation: (s: string) => ({ annotation: [s] }),
  tenderProblem: (s: string) => ({ tenderProblem: s }),
  tenderClasses: (s: string) => ({ tenderClasses: [s] }),
  dateFrom: (s: string) => ({ dateFrom: s }),
  dateTo: (s: string) => ({ dateTo: s }),
  minDifference: (s: string) => ({ minDifference: s }),
  maxDifference: (s: string) => ({ maxDifference: s }),
  offset: (s: string) => ({ offset: s }),
  limit: (s: string) => ({ limit: s }),
  runId: (s: string) => ({ runId: s }),
};

describe('SQL: user-controlled sort and filters go through allow-lists', () => {
  for (const [input, build] of Object.entries(ENUM_AND_FORMAT_INPUTS)) {
    it(`run:results ${input}: every injection string is refused by the schema`, async () => {
      for (const attack of [...HOSTILE, 'severity; DROP TABLE results', 'r.id', '1 OR 1=1', 'date DESC']) {
        const result = await call('run:results', { runId, ...build(attack) });
        expect(result, `${input}=${attack}`).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      }
    });
  }

  it('run:results sort accepts exactly the allow-listed columns, each mapped to fixed SQL', async () => {
    for (const sort of SORTABLE_COLUMNS) {
      for (const direction of ['asc', 'desc']) {
        const result = await call('run:results', { runId, sort, direction, limit: 5 });
        expect(result.ok, `${sort} ${direction}`).toBe(true);
      }
    }
    expect(counts()).toEqual(before);
  });

  it('run:results search is bound text: injection strings and LIKE wildcards match literally', async () => {
    for (const attack of [...HOSTILE, "' OR '1'='1", '%', '_', '%%', '\\%', "') OR 1=1 --"]) {
      const result = await call('run:results', { runId, search: attack, limit: 1000 });
      expect(result, attack).toMatchObject({ ok: true, value: { total: 0 } });
    }
    expect(counts()).toEqual(before);
  });

  it('report:export filters are the same allow-listed query', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-sql-export-'));
    for (const [input, build] of Object.entries(ENUM_AND_FORMAT_INPUTS)) {
      if (['offset', 'limit', 'runId'].includes(input)) continue;
      const result = await call('report:export', {
        runId,
        format: 'csv',
        folder,
        fileName: 'x.csv',
        filters: build(`${MARK}' OR 1=1 --`),
      });
      expect(result, input).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    const searched = await call('report:export', {
      runId,
      format: 'csv',
      folder,
      fileName: 'search.csv',
      filters: { search: `${MARK}' OR 1=1 --` },
    });
    expect(searched).toMatchObject({ ok: true, value: { rows: 0 } });
    fs.rmSync(folder, { recursive: true, force: true });
    expect(counts()).toEqual(before);
  });

  it('audit:list entity, annotation and sign-off text are bound parameters stored verbatim', async () => {
    const audit = await call('audit:list', { entity: `${MARK}' OR 1=1 --` });
    expect(audit).toMatchObject({ ok: true, value: [] });
    for (const attack of HOSTILE.filter((h) => !h.includes('\u0000'))) {
      const set = await call('annotation:set', {
        resultKey,
        status: 'explained',
        reason: attack,
        note: attack,
        author: attack,
      });
      expect(set.ok, attack).toBe(true);
    }
    const history = (await call('annotation:history', { resultKey })) as {
      ok: true;
      value: { reason: string; note: string; author: string }[];
    };
    const stored = history.value.slice(-HOSTILE.length + 1);
    expect(stored.map((a) => a.note)).toEqual(HOSTILE.filter((h) => !h.includes('\u0000')));
    const keyed = await call('annotation:history', { resultKey: `${MARK}' OR 1=1 --` });
    expect(keyed).toMatchObject({ ok: true, value: [] });
    const t = counts();
    expect({ ...t, annotations: before.annotations, audit_log: before.audit_log }).toEqual(before);
  });

  it('ids are integers: strings, floats and expressions are refused everywhere', async () => {
    for (const [channel, field] of [
      ['run:get', 'runId'],
      ['run:result-detail', 'resultId'],
      ['snapshot:delete', 'id'],
      ['ui:run-charts', 'runId'],
      ['dry-run:list', 'accountId'],
      ['push:journal', 'accountId'],
    ] as const) {
      for (const bad of ['1 OR 1=1', '1; DROP TABLE results', 1.5, Number.NaN, '1', null]) {
        expect(await call(channel, { [field]: bad }), `${channel} ${String(bad)}`).toMatchObject({
          ok: false,
          error: { code: 'invalid_input' },
        });
      }
    }
  });

  it('SuiteQL (NetSuite pulls): the order-reference field and dates are allow-listed too', () => {
    for (const attack of [
      'otherrefnum FROM transaction --',
      'memo, (SELECT password FROM employee)',
      'custbody_x; DELETE',
      'CUSTBODY_X OR 1=1',
      "externalid'",
    ]) {
      expect(() => orderRefField({ orderRefField: attack }), attack).toThrow(/order reference field/);
    }
    for (const attack of ["2024-01-01') OR (1=1", '2024-13-45', 'yesterday']) {
      expect(() => refundWhere({ from: attack }), attack).toThrow();
      expect(() => refundWhere({ modifiedSince: attack }), attack).toThrow();
    }
  });
});

/**
 * A ratchet on SQL built from strings: every `${…}` inside SQL text in src/main was reviewed
 * (a constant, an allow-listed map lookup, or a run of `?` placeholders). A new one fails here
 * until it is reviewed and added — with the reason it cannot carry user text.
 */
const REVIEWED_SQL_INTERPOLATIONS: Record<string, string[]> = {
  // Issue 18: `?` placeholders generated from the number of snapshot ids.
  'src/main/store/disputes.ts': ["snapshotIds.map(() => '?').join(',')"],
  // A constant column list, and `?` placeholders generated from the number of result ids.
  'src/main/sync/will-not-sync.ts': ['COLUMNS', 'only'],
  // Constant SuiteQL fragments; refundWhere() validates dates (ISO) and the field (FIELD allow-list).
  // Issue 18: `probe` is a constant column or ''; LINK_FROM a constant join; linkWhere() is
  // refundWhere() plus a constant type condition.
  'src/main/connectors/netsuite/refund-query.ts': [
    'FROM',
    'refundWhere(filter)',
    'bucket',
    'refundWhere(filter, { lo, hi ',
    'refundWhere(filter, range)',
    'probe',
    'LINK_FROM',
    'linkWhere(filter)',
    'linkWhere(filter, { lo, hi ',
    'linkWhere(filter, range)',
  ],
  // A numeric internal id parsed as an integer before use.
  'src/main/importers/suiteql-json.ts': ['id'],
  // keyColumn is one of two fixed column names; the rest are placeholders.
  // tenderColumnsSql(db) is one of two constant select lists (store/tender-columns.ts);
  // `tenderColumns` is its value, kept to cache the statement per list.
  'src/main/reconcile/match-columns.ts': [
    'tenderColumnsSql(db)',
    'tenderColumns',
    'keyColumn',
    "display ? ', order_ref, document_number' : ''",
    "batch.map(() => '?').join(',')",
  ],
  // The run store (src/main/reconcile/runs/): a constant column list and `?` tuples sized by a constant.
  // Issue 18: `columns` is that constant list, plus `tenders` when the workspace has migration 016.
  'src/main/reconcile/runs/writer.ts': [
    // Compact rows (migration 026): a constant column list.
    'COMPACT_COLUMNS',
    'columns',
    'RESULT_COLUMNS',
    "new Array(ROWS_PER_INSERT).fill(tuple).join(',')",
    'tuple',
    "new Array(ROWS_PER_INSERT).fill('(?,?)').join(',')",
    // Plain matches: the fixed column names, their tuple of `?` and `@name` for the shared columns.
    "plainColumns.join(', ')",
    "new Array(ROWS_PER_INSERT).fill(plain).join(',')",
    'plain',
  ],
  // f.whereSql is built from fixed clauses + '?' (results-filter.ts); LATEST_ANNOTATION is a constant.
  // Keyset paging: sort.sql from the SORTS allow-list; seg.clause one of seekSegments' fixed clauses
  // (values bound); orderSql is sort.sql + ASC/DESC. Migration 026: each source (result-sources.ts)
  // is `results r` or the constant MATCHED_ROWS_SQL (or matchedRowsSql() of a constant index name),
  // its sortSql a SORTS entry; `links` the view or it with the constant MATCHED_NETSUITE_LINKS_SQL;
  // `marks` a `?` run. walkSegment: `select` a constant column list (+ LATEST_ANNOTATION, a sortSql),
  // `join` a constant or '', `where` a group's fixed clause (`r.currency IN (?…)` or '1') with
  // seg.idClause (`r.id > ?`, `r.id < ?` or '1'), `order` sortSql/r.id + ASC/DESC; `d` ASC/DESC.
  'src/main/reconcile/runs/results-page.ts': [
    's.sortSql',
    'f.whereSql',
    'LATEST_ANNOTATION',
    'source.sortSql',
    'source.from',
    'f.whereSql',
    'MATCHED_NETSUITE_LINKS_SQL',
    'links',
    'marks',
    'select',
    'join',
    'where',
    'order',
    'only.sortSql',
    'only.from',
    'only.sortSql',
    'd',
    'd',
  ],
  // `from`: `results r`, the constant MATCHED_ROWS_SQL or MATCHED_STORED_ROWS_SQL (migration 026);
  // whereSql a Filter's (fixed clauses + '?'); byCurrency one of two constants.
  'src/main/reconcile/runs/totals.ts': [
    'from',
    'f.whereSql',
    'MATCHED_ROWS_SQL',
    'whereSql',
    'byCurrency',
    'byCurrency',
  ],
  // A sort's SQL from the SORTS allow-list; COMPACT_ROWS the constant MATCHED_ROWS_SQL; `after` a
  // constant clause or ''.
  'src/main/reconcile/runs/result-sources.ts': ['sortSql', 'COMPACT_ROWS', 'after', 'sortSql', 'COMPACT_ROWS'],
  // A constant UNION of matched_results' currencies (migration 026), or ''.
  'src/main/reconcile/runs/results-filter.ts': ['compactCurrencies'],
  // Migration 026: the constant name of the search text function, the constant subquery of compact
  // rows' search text (compactSearchRowsSql, the run id bound), and a constant max() term or ''.
  'src/main/reconcile/runs/search-index.ts': [
    'SEARCH_TEXT_FUNCTION',
    'compactSearchRowsSql(db)',
    'compactSearchRowsSql(db)',
    'compactMax',
  ],
  // Issue 18, the review's tender filter: `m`/`marks(…)` are `?` runs sized by constant lists or by
  // enum arrays the contract allow-listed (values bound); `other` a constant or ''; the `instr` runs
  // are `?` per allow-listed kind or code; the snapshot column one of two constant names; sf.sql and
  // ns.sql are built here the same way.
  'src/main/reconcile/runs/tender-filter.ts': [
    'marks(NOT_MATCHED.length)',
    'm',
    "quoted.map(() => 'instr(r.detail, ?) > 0').join(' OR ')",
    'm',
    "side === 'storefront' ? 'storefront_snapshot_id' : 'netsuite_snapshot_id'",
    'other',
    "kinds.map(() => 'instr(x.tenders, ?) > 0').join(' OR ')",
    'sf.sql',
    'ns.sql',
  ],
  // `?` runs sized by the result or refund ids of a page, and a constant column added at migration 016;
  // `from`: one of two fixed FROM clauses (results, or matched_results' constant MATCHED_ROWS_SQL).
  'src/main/reconcile/runs/result-tenders.ts': [
    'from',
    "version >= 16 ? ', r.tenders' : ''",
    'marks()',
    'from',
    'marks()',
    "part.map(() => '?').join(',')",
  ],
  'src/main/reconcile/runs/detail.ts': ['LATEST_ANNOTATION', 'from'],
  // Migration 026: constant SQL of a compact row's derived columns; matchedBySql() builds a CASE
  // from the constant MATCHED_BY_CODES (the column name a literal); matchedRowColumns() is that
  // constant select list, storedColumns() the constant one of STORED_COLUMNS; matchedRowsSql(index)
  // and matchedStoredRowsSql(index) add `INDEXED BY` a CompactIndex name (a constant union type).
  'src/main/reconcile/runs/matched-results.ts': [
    'storedColumns()',
    'index',
    'matchedRowColumns()',
    'matchedRowColumns()',
    'DETAIL_SQL',
    "matchedBySql('m.matched_by')",
  ],
  // tenderColumnsSql(db): a constant select list (store/tender-columns.ts).
  'src/main/reconcile/snapshot-reader.ts': ['placeholders', 'tenderColumnsSql(db)'],
  // Issue 16: the action groups' CASE (fixed SQL per group id, no input), the latest-annotation
  // subquery and the period's fixed state CASE and date-range clause (values bound).
  'src/main/reconcile/action-list.ts': ['ACTION_GROUP_SQL', 'LATEST'],
  'src/main/reconcile/period-summary.ts': ['STATE_SQL', 'range'],
  'src/main/reconcile/side-amounts.ts': ["ids.map(() => '?').join(',')"],
  'src/main/review/signoff-care.ts': ['LATEST'],
  'src/main/store/accounts.ts': ['STOREFRONT_SELECT'],
  // table is a literal union type ('storefront_accounts' | 'netsuite_accounts' …) chosen in code.
  // The writer's multi-row INSERTs: table ('refunds' | 'refund_lines') and columns are the writer's
  // constant lists (snapshot-writer.ts), a subset when all-default groups are left out.
  // Placeholders only: a fixed tuple of three `?` repeated for a batch of order ids.
  'src/main/store/order-ids.ts': ["new Array(rows).fill('(?, ?, ?)').join(', ')"],
  'src/main/store/eliding-insert.ts': ['table', "columns.join(',')", "new Array(rows).fill(tuple).join(',')"],
  // latestCaptureOf: one placeholder per snapshot id (values bound).
  'src/main/store/snapshots.ts': ['SELECT', "ids.map(() => '?').join(',')"],
  'src/main/sync/connections.ts': ['table'],
  'src/main/sync/journal.ts': ["states.map(() => '?').join(',')"],
};

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(file);
    else if (file.endsWith('.ts')) yield file;
  }
}

it('SQL text in src/main interpolates only reviewed expressions', () => {
  const found: Record<string, string[]> = {};
  for (const file of walk('src/main')) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/`([^`]*)`/gs)) {
      const literal = m[1] ?? '';
      if (!/\b(SELECT|INSERT|UPDATE|DELETE|WHERE|ORDER BY|VALUES)\b/.test(literal)) continue;
      for (const x of literal.matchAll(/\$\{([^}]*)\}/g)) {
        const expr = x[1] ?? '';
        if ((REVIEWED_SQL_INTERPOLATIONS[file] ?? []).includes(expr)) continue;
        found[file] = [...(found[file] ?? []), expr];
      }
    }
  }
  expect(found, 'new interpolation in SQL text: review it and add it to REVIEWED_SQL_INTERPOLATIONS').toEqual({});
});
