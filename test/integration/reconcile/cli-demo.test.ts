import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaseFactory } from '../../../src/main/demo/cases';
import { shopifyDisputesText } from '../../../src/main/demo/disputes';
import { DEMO_FILES, generateDemo, netsuiteCsvText, shopifyOrdersText } from '../../../src/main/demo/generate';
import { ResultCode } from '../../../src/shared/codes';

/** Every code of spec §5 and tenders.md §3: the demo plants at least one of each. */
const DEMO_CODES = ResultCode.options;

const root = path.resolve(__dirname, '../../..');
const demo = path.join(root, 'resources', 'demo');
const sfFile = path.join(demo, DEMO_FILES.storefront);
const nsFile = path.join(demo, DEMO_FILES.netsuite);
/** The chargeback case needs the demo's disputes (tenders.md §3.1). */
const disputesFile = path.join(demo, DEMO_FILES.disputes);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(root, 'bin', 'refund-recon.js'), 'reconcile', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The expected summary of the committed demo files. */
const EXPECTED_BY_CODE = {
  matched: 28,
  rounding: 2,
  amount_mismatch: 2,
  line_mismatch: 2,
  general_refund: 2,
  missing_in_netsuite: 2,
  missing_in_storefront: 2,
  duplicate: 2,
  currency_mismatch: 1,
  record_type_mismatch: 2,
  no_order_reference: 1,
  no_money_moved: 2,
  tender_mismatch: 1,
  credit_not_paid_out: 1,
  exchange: 1,
  chargeback: 1,
};

// Each test spawns the CLI (tsx) several times: allow for a busy machine.
describe('refund-recon reconcile on the demo files', { timeout: 60_000 }, () => {
  it('the committed demo files are what the seeded generator writes', () => {
    const data = generateDemo();
    expect(fs.readFileSync(sfFile, 'utf8')).toBe(shopifyOrdersText(data.orders));
    expect(fs.readFileSync(nsFile, 'utf8')).toBe(netsuiteCsvText(data.netsuite));
    expect(fs.readFileSync(disputesFile, 'utf8')).toBe(shopifyDisputesText(data.disputes));
  });

  it('--format json: every code of spec §5 present, the expected summary, exit status 1', () => {
    const run = cli('--storefront', sfFile, '--netsuite', nsFile, '--disputes', disputesFile, '--format', 'json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.summary.storefrontRefunds).toBe(49);
    expect(doc.summary.netsuiteRecords).toBe(56);
    expect(doc.summary.notCompared).toBe(1);
    expect(doc.summary.byCode).toEqual(EXPECTED_BY_CODE);
    for (const code of DEMO_CODES) expect(doc.summary.byCode[code]).toBeGreaterThan(0);
    expect(Object.keys(doc.summary.totals).sort()).toEqual(['EUR', 'GBP', 'JPY', 'USD']);
    expect(doc.summary.totals.JPY.storefront).toMatch(/^\d+$/);
    expect(doc.summary.totals.USD.storefront).toMatch(/^\d+\.\d\d$/);
    // Shape of spec §7.
    const missingSf = doc.results.find((r: { code: string }) => r.code === 'missing_in_storefront');
    expect(missingSf.storefront).toBeNull();
    const missingNs = doc.results.find((r: { code: string }) => r.code === 'missing_in_netsuite');
    expect(missingNs.netsuite).toEqual([]);
    const creditMemo = doc.results.find((r: { netsuite: Array<{ recordType: string }> }) =>
      r.netsuite.some((n) => n.recordType === 'creditMemo'),
    );
    expect(creditMemo.netsuite.map((n: { recordType: string }) => n.recordType)).toEqual([
      'creditMemo',
      'customerRefund',
    ]);
    for (const r of doc.results) expect(r.hint.length).toBeGreaterThan(20);
    // The tender cases (tenders.md §7 #7, #4, #22, #27), each on its own order.
    const codeOf = (order: string) => doc.results.find((r: { orderRef: string }) => r.orderRef === order)?.code;
    const data = generateDemo();
    data.kinds.forEach((kind, i) => {
      if (['tender_mismatch', 'credit_not_paid_out', 'exchange', 'chargeback'].includes(kind)) {
        expect(codeOf(`#${data.orders[i]!.number}`)).toBe(kind);
      }
    });
  });

  it('without the disputes file the refund during a chargeback is a plain match', () => {
    const doc = JSON.parse(cli('--storefront', sfFile, '--netsuite', nsFile, '--format', 'json').stdout);
    expect(doc.summary.byCode.chargeback).toBeUndefined();
    expect(doc.summary.byCode.matched).toBe(EXPECTED_BY_CODE.matched + 1);
  });

  it('--format table prints counts per code, totals per currency and the worst differences', () => {
    const run = cli('--storefront', sfFile, '--netsuite', nsFile, '--disputes', disputesFile);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/Reconciled 49 storefront refunds against 56 NetSuite records/);
    for (const code of DEMO_CODES) expect(run.stdout).toContain(`(${code})`);
    expect(run.stdout).toMatch(/USD\s+[\d.]+\s+[\d.]+\s+-?[\d.]+/);
    expect(run.stdout).toMatch(/Worst differences/);
  });

  it('--format csv: one row per result, formula injection neutralised, written with --out', () => {
    const out = path.join(tmp, 'results.csv');
    const run = cli('--storefront', sfFile, '--netsuite', nsFile, '--format', 'csv', '--out', out);
    expect(run.status).toBe(1);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^key,code,severity,order_ref/);
    expect(lines).toHaveLength(1 + 52);
    for (const line of lines.slice(1)) expect(line).not.toMatch(/(^|,)[=+@]/);
  });

  it('--format csv comes in the table’s order: its first rows are the table’s worst differences', () => {
    const table = cli('--storefront', sfFile, '--netsuite', nsFile);
    const worst = table.stdout
      .split('\n')
      .map((l) => /^ {2}(ERROR|WARNING)\s+(\S+)\s+(.+?)\s+([A-Z]{3} \S+|n\/a)$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    expect(worst.length).toBeGreaterThan(10);
    const csv = cli('--storefront', sfFile, '--netsuite', nsFile, '--format', 'csv');
    const rows = csv.stdout.trimEnd().split('\r\n').slice(1);
    const head = rows.slice(0, worst.length).map((line) => {
      const [, code, severity, orderRef] = line.split(',');
      return `${severity!.toUpperCase()} ${code} ${orderRef || '(no order)'}`;
    });
    expect(head).toEqual(worst);
    // Then the rest, never a worse severity after a milder one.
    const rank = { error: 3, warning: 2, info: 1, ok: 0 } as Record<string, number>;
    const severities = rows.map((line) => rank[line.split(',')[2]!]!);
    for (let i = 1; i < severities.length; i++) expect(severities[i]!).toBeLessThanOrEqual(severities[i - 1]!);
  });

  it('csv cells starting with = + - @ are neutralised', () => {
    const data = generateDemo();
    const evil = data.netsuite.find((r) => r.orderRef !== '')!;
    const order = evil.orderRef;
    for (const r of data.netsuite) if (r.orderRef === order) r.orderRef = '=HYPERLINK("http://x")';
    const ns = path.join(tmp, 'evil.csv');
    fs.writeFileSync(ns, netsuiteCsvText(data.netsuite));
    const run = cli('--storefront', sfFile, '--netsuite', ns, '--format', 'csv');
    expect(run.stdout).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(run.stdout).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('only matched and info results give exit status 0', () => {
    const factory = new CaseFactory(99);
    const cases = (['matched_full', 'matched_partial', 'matched_shipping', 'rounding', 'no_money_moved'] as const).map(
      (k) => factory.make(k),
    );
    const sfOk = path.join(tmp, 'ok-orders.json');
    const nsOk = path.join(tmp, 'ok.csv');
    fs.writeFileSync(sfOk, shopifyOrdersText(cases.map((c) => c.order)));
    fs.writeFileSync(nsOk, netsuiteCsvText(cases.flatMap((c) => c.netsuite)));
    const run = cli('--storefront', sfOk, '--netsuite', nsOk, '--format', 'json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).summary.byCode).toEqual({ matched: 3, rounding: 1, no_money_moved: 1 });
  });

  it('exit 2 with a clear message for usage errors and bad input', () => {
    const usage = cli('--storefront', sfFile);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/needs both sides/);
    const badTol = cli('--storefront', sfFile, '--netsuite', nsFile, '--tolerance', 'abc');
    expect(badTol.status).toBe(2);
    expect(badTol.stderr).toMatch(/--tolerance/);
    const bad = path.join(tmp, 'bad.csv');
    fs.writeFileSync(bad, 'Internal ID,Type,Date\n1,Cash Refund,not a date\n');
    const badFile = cli('--storefront', sfFile, '--netsuite', bad);
    expect(badFile.status).toBe(2);
    expect(badFile.stderr).toMatch(/bad\.csv/);
    const missing = cli('--storefront', path.join(tmp, 'nope.json'), '--netsuite', nsFile);
    expect(missing.status).toBe(2);
  });

  it('swapping the order of the input files changes nothing', () => {
    const data = generateDemo();
    const half = Math.floor(data.netsuite.length / 2);
    // Split on a record boundary of a whole order so Credit Memo and Customer Refund stay together in one file.
    const a = path.join(tmp, 'ns-a.csv');
    const b = path.join(tmp, 'ns-b.csv');
    fs.writeFileSync(a, netsuiteCsvText(data.netsuite.slice(0, half)));
    fs.writeFileSync(b, netsuiteCsvText(data.netsuite.slice(half)));
    const one = cli('--storefront', sfFile, '--netsuite', a, b, '--format', 'json');
    const two = cli('--storefront', sfFile, '--netsuite', b, a, '--format', 'json');
    expect(one.status).toBe(1);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
  });

  it('--workspace stores the run; --storefront-snapshot/--netsuite-snapshot reuse the snapshots', () => {
    const ws = path.join(tmp, 'ws.sqlite');
    const first = cli('--storefront', sfFile, '--netsuite', nsFile, '--workspace', ws, '--format', 'json');
    expect(first.stderr).toMatch(/run 1 stored/);
    const again = cli('--storefront-snapshot', '1', '--netsuite-snapshot', '2', '--workspace', ws, '--format', 'json');
    expect(again.stderr).toMatch(/run 2 stored/);
    expect(JSON.parse(again.stdout).summary).toEqual(JSON.parse(first.stdout).summary);
    const wrongSide = cli('--storefront-snapshot', '2', '--netsuite-snapshot', '1', '--workspace', ws);
    expect(wrongSide.status).toBe(2);
    expect(wrongSide.stderr).toMatch(/Swap/);
  });
});
