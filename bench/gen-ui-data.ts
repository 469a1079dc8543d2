import fs from 'node:fs';
import path from 'node:path';
import { openWorkspace } from '../src/main/store/open';
import { DEFAULT_SEVERITY, type ResultCode } from '../src/shared/codes';

/**
 * A workspace holding one comparison run of `n` results (default 1,000,000) for the UI benchmark:
 * bench/data/ui-<n>/workspace.sqlite. The results are written straight into the `results` table
 * (deterministic, seeded), shaped like the engine's output — 97% matched, the rest spread over every
 * code of spec §5, five currencies, 330 days — so the review screen's queries meet realistic data
 * without spending minutes importing and matching. Run: node --require tsx/cjs bench/gen-ui-data.ts [n]
 */

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OTHER_CODES: ResultCode[] = [
  'rounding',
  'amount_mismatch',
  'line_mismatch',
  'general_refund',
  'missing_in_netsuite',
  'missing_in_storefront',
  'duplicate',
  'record_type_mismatch',
  'no_order_reference',
  'no_money_moved',
];
const CURRENCIES: Array<[string, number]> = [
  ['USD', 0.6],
  ['EUR', 0.2],
  ['GBP', 0.1],
  ['JPY', 0.05],
  ['CAD', 0.05],
];

export function uiDataDir(n: number): string {
  return path.join(__dirname, 'data', `ui-${n}`);
}

export function generateUiWorkspace(n = 1_000_000): { file: string; runId: number; results: number } {
  const dir = uiDataDir(n);
  const file = path.join(dir, 'workspace.sqlite');
  const done = path.join(dir, 'done.json');
  if (fs.existsSync(done)) return JSON.parse(fs.readFileSync(done, 'utf8'));
  fs.mkdirSync(dir, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  const db = openWorkspace(file);
  const now = new Date().toISOString();
  const snap = db.prepare(
    `INSERT INTO snapshots (side, label, source, format, importer_version, refund_count, created_at)
     VALUES (?, ?, 'file', 'canonical-csv', 'bench', ?, ?)`,
  );
  const sf = Number(snap.run('storefront', `Generated storefront (${n})`, n, now).lastInsertRowid);
  const ns = Number(snap.run('netsuite', `Generated NetSuite (${n})`, n, now).lastInsertRowid);
  const byCode: Record<string, number> = {};
  const bySeverity: Record<string, number> = {};
  const totals: Record<string, { sf: number; ns: number }> = {};
  const runId = Number(
    db
      .prepare(
        `INSERT INTO comparison_runs (storefront_snapshot_id, netsuite_snapshot_id, rules, status, started_at)
         VALUES (?, ?, ?, 'running', ?)`,
      )
      .run(
        sf,
        ns,
        JSON.stringify({
          tolerance: { default: null, byCurrency: {} },
          dateWindowDays: 7,
          itemMapping: {},
          storefrontLineItems: 'auto',
          refundKeyField: 'externalId',
        }),
        now,
      ).lastInsertRowid,
  );
  const insert = db.prepare(
    `INSERT INTO results (run_id, result_key, code, severity, order_ref, order_key, currency, date, storefront_total,
       netsuite_total, difference, hint, detail, matched_by, search_text)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', 'external id', ?)`,
  );
  const rand = rng(20251126);
  const start = Date.UTC(2025, 0, 6);
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const r = rand();
      const code: ResultCode = r < 0.97 ? 'matched' : OTHER_CODES[Math.floor(rand() * OTHER_CODES.length)]!;
      let pick = rand();
      let currency = 'USD';
      for (const [c, share] of CURRENCIES) {
        if (pick < share) {
          currency = c;
          break;
        }
        pick -= share;
      }
      const order = 100001 + i;
      const refundId = `9${String(700000000 + i)}`;
      const date = new Date(start + Math.floor(rand() * 330) * 86_400_000).toISOString().slice(0, 10);
      const total = currency === 'JPY' ? 100 + Math.floor(rand() * 50_000) : 100 + Math.floor(rand() * 50_000);
      let sfTotal: number | null = total;
      let nsTotal: number | null = total;
      if (code === 'missing_in_netsuite') nsTotal = null;
      else if (code === 'missing_in_storefront') sfTotal = null;
      else if (code === 'rounding') nsTotal = total - 1;
      else if (code === 'amount_mismatch' || code === 'line_mismatch') nsTotal = total - 1 - Math.floor(rand() * 5000);
      else if (code === 'duplicate') nsTotal = total * 2;
      const difference = (sfTotal ?? 0) - (nsTotal ?? 0);
      const hint = code === 'matched' ? '' : `Generated ${code.replace(/_/g, ' ')} on order #${order}.`;
      insert.run(
        runId,
        `sf:${refundId}`,
        code,
        DEFAULT_SEVERITY[code],
        `#${order}`,
        String(order),
        currency,
        date,
        sfTotal,
        nsTotal,
        difference,
        hint,
        `#${order} ${refundId} cr${order} ${4000000 + i}`,
      );
      byCode[code] = (byCode[code] ?? 0) + 1;
      bySeverity[DEFAULT_SEVERITY[code]] = (bySeverity[DEFAULT_SEVERITY[code]] ?? 0) + 1;
      const t = totals[currency] ?? { sf: 0, ns: 0 };
      t.sf += sfTotal ?? 0;
      t.ns += nsTotal ?? 0;
      totals[currency] = t;
    }
  })();
  const fmt = (minor: number, c: string) => {
    if (c === 'JPY') return String(minor);
    const sign = minor < 0 ? '-' : '';
    const a = Math.abs(minor);
    return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
  };
  const summary = {
    storefrontRefunds: n,
    netsuiteRecords: n,
    results: n,
    byCode,
    bySeverity,
    totals: Object.fromEntries(
      Object.entries(totals).map(([c, t]) => [
        c,
        { storefront: fmt(t.sf, c), netsuite: fmt(t.ns, c), difference: fmt(t.sf - t.ns, c) },
      ]),
    ),
    notCompared: 0,
    lineItemRefunds: 'yes',
  };
  db.prepare("UPDATE comparison_runs SET status = 'complete', summary = ?, finished_at = ? WHERE id = ?").run(
    JSON.stringify(summary),
    new Date().toISOString(),
    runId,
  );
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const out = { file, runId, results: n };
  fs.writeFileSync(done, JSON.stringify(out));
  return out;
}

if (require.main === module) {
  const n = Number(process.argv[2] ?? 1_000_000);
  const t0 = Date.now();
  const out = generateUiWorkspace(n);
  console.log(`${out.file}: run ${out.runId}, ${out.results} results (${Date.now() - t0} ms)`);
}
