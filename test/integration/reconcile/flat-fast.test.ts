import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { workspaceOnUse } from '../../../src/main/cli/workspace-on-use';
import { DEMO_FILES } from '../../../src/main/demo/generate';
import { openWorkspace } from '../../../src/main/store/open';
import { startEarlyHelper } from '../../../src/main/use-cases/flat-helper';
import { reconcileFiles } from '../../../src/main/use-cases/reconcile-files';

/**
 * Issue 15's fast path (use-cases/reconcile-flat-fast.ts): the one-shot `reconcile --format csv`
 * of flat canonical CSV decides the plain orders before the engine and writes them from the
 * files' bytes. Whatever the files hold, its CSV must be the general path's byte for byte
 * (REFUND_RECON_FLAT_FAST=0 runs the general path), whether it took the files or fell back.
 */
const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-flat-fast-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const HEADER =
  'side,id,documentNumber,recordType,orderRef,createdFromType,createdFromRef,date,currency,total,shipping,tax,adjustment,kind,externalId,memo,isTest,status,appliesTo,moneyMoved,presentmentCurrency,presentmentTotal,lineSku,lineDescription,lineQuantity,lineAmount,lineTax,lineRole';

let fileNo = 0;
function write(text: string): string {
  const file = path.join(tmp, `f${fileNo++}.csv`);
  fs.writeFileSync(file, text);
  return file;
}

async function run(
  sf: string,
  ns: string,
  fast: boolean,
  thread = false,
  early = false,
): Promise<{ csv: string; phases: string[]; bad?: string }> {
  const dir = fs.mkdtempSync(path.join(tmp, 'ws-'));
  // As the CLI's temporary workspace: created only if read, which neither path of a one-shot does.
  const workspace = workspaceOnUse(path.join(dir, 'w.sqlite'), openWorkspace);
  const chunks: Buffer[] = [];
  const phases: string[] = [];
  const previous = process.env.REFUND_RECON_FLAT_FAST;
  const previousThread = process.env.REFUND_RECON_PARSE_THREAD;
  process.env.REFUND_RECON_FLAT_FAST = fast ? '1' : '0';
  // The large-file path on small files: the helper thread reads the storefront file and writes the plain rows.
  if (thread || early) process.env.REFUND_RECON_PARSE_THREAD = 'always';
  // As the CLI does: the helper started before reconcileFiles, already reading the storefront file.
  const helper = early ? startEarlyHelper(sf, ns) : null;
  if (early) expect(helper).not.toBeNull();
  try {
    await reconcileFiles(workspace.ctx, {
      storefront: { files: [sf], snapshotIds: [] },
      netsuite: { files: [ns], snapshotIds: [] },
      rules: {},
      keepWorkspace: false,
      format: 'csv',
      write: (chunk) => {
        chunks.push(Buffer.from(chunk));
      },
      onPhase: (name) => phases.push(name),
      earlyFlatHelper: helper,
    });
  } catch (error) {
    return {
      csv: '',
      phases,
      bad: `${(error as Error).message} ${JSON.stringify((error as { location?: unknown }).location)}`,
    };
  } finally {
    if (previous === undefined) delete process.env.REFUND_RECON_FLAT_FAST;
    else process.env.REFUND_RECON_FLAT_FAST = previous;
    if (previousThread === undefined) delete process.env.REFUND_RECON_PARSE_THREAD;
    else process.env.REFUND_RECON_PARSE_THREAD = previousThread;
    helper?.stop();
    expect(workspace.opened).toBe(false);
    workspace.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { csv: Buffer.concat(chunks).toString('utf8'), phases };
}

const took = (phases: string[]) => phases.includes('decide plain orders');
const helped = (phases: string[]) => phases.includes('plain rows from the helper');

/** Cells rich in what can make an order not plain, or make the bytes differ. */
const orderRef = fc.constantFrom(
  '#1001',
  '#1002',
  '#1003',
  '1004',
  '#A-7',
  'SO-5',
  'so 5',
  'ORD9',
  '#1001 ',
  '',
  '#=1',
  'x;y',
);
const sfId = fc.constantFrom('9001', '9002', '9003', '9004', '9005', '0012', '12', 'R-1', 'r-1', '9001 ', '-5', 'A;B');
const nsId = fc.constantFrom('5001', '5002', '5003', '5004', '5005', '5006', 'N-1', '0050');
const currency = fc.constantFrom('USD', 'USD', 'USD', 'EUR', 'JPY');
const amount = fc.constantFrom(0, 5, 100, 101, 1250, 1251, 99999);
const date = fc.constantFrom('2026-01-05', '2026-01-06', '2026-02-20', '2026-06-30');
const flag = (t: string, f: string) => fc.constantFrom(t, f, '', t, t);

function money(minor: number, cur: string): string {
  if (cur === 'JPY') return String(minor === 0 ? 1 : minor);
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

const sfRow = fc
  .record({
    id: sfId,
    doc: fc.constantFrom('same', 'same', 'same', '', 'D-1'),
    ref: orderRef,
    date,
    currency,
    amount,
    kind: fc.constantFrom('general', 'general', 'general', 'line_item'),
    ext: fc.constantFrom('', '', '', 'E1'),
    memo: fc.constantFrom('', '', '', '', 'note'),
    isTest: flag('false', 'true'),
    status: fc.constantFrom('ok', 'ok', 'ok', '', 'failed', 'pending'),
    moneyMoved: flag('true', 'false'),
  })
  .map(
    (r) =>
      `storefront,${r.id},${r.doc === 'same' ? r.id : r.doc},refund,${r.ref},,,${r.date},${r.currency},${money(r.amount, r.currency)},,,,${r.kind},${r.ext},${r.memo},${r.isTest},${r.status},,${r.moneyMoved},,,,,,,,`,
  );

const nsRow = fc
  .record({
    id: nsId,
    doc: fc.constantFrom('CR1', 'CR2', 'CR1', '', '=CR', 'CR;3'),
    type: fc.constantFrom('cashRefund', 'cashRefund', 'cashRefund', 'creditMemo', 'customerRefund'),
    ref: orderRef,
    date,
    currency,
    amount,
    kind: fc.constantFrom('general', 'general', 'general', 'line_item'),
    key: fc.oneof(sfId, fc.constantFrom('', '', 'SR-9001', 'shopify-refund-9002', 'gid://shopify/Refund/9003', '77')),
    memo: fc.constantFrom('', '', '', '', 'Refund 9004'),
    isTest: flag('false', 'true'),
    status: fc.constantFrom('ok', 'ok', 'ok', '', 'voided', 'failed'),
    appliesTo: fc.constantFrom('', '', '', '', '5001', '5002'),
    moneyMoved: flag('true', 'false'),
  })
  .map(
    (r) =>
      `netsuite,${r.id},${r.doc},${r.type},${r.ref},,,${r.date},${r.currency},${money(r.amount, r.currency)},,,,${r.kind},${r.key},${r.memo},${r.isTest},${r.status},${r.appliesTo},${r.moneyMoved},,,,,,,,`,
  );

/**
 * Mostly pairs that should be plain (same order, the refund's id as the record's External ID,
 * same currency and total), mixed with anything (the rows above), shuffled.
 */
const pair = fc
  .record({
    n: fc.integer({ min: 1, max: 400 }),
    currency,
    amount,
    date,
    byKey: fc.boolean(),
    order: fc.integer({ min: 0, max: 60 }),
  })
  .map((p) => {
    const cur = p.currency;
    const total = money(p.amount, cur);
    const order = `#${2000 + p.order}`;
    const id = String(800_000 + p.n);
    return {
      sf: `storefront,${id},${id},refund,${order},,,${p.date},${cur},${total},,,,general,,,false,ok,,true,,,,,,,,`,
      ns: `netsuite,${600_000 + p.n},CR${600_000 + p.n},cashRefund,${order},,,${p.date},${cur},${total},,,,general,${p.byKey ? id : ''},,false,ok,,true,,,,,,,,`,
    };
  });

/**
 * Shapes of a `tenders` cell (canonical-tenders.ts: `kind:gateway:amount` joined by `|`, gateways
 * escaped; the bench generator writes `store_credit::12.34` and `cash::12.34`), mostly empty. The
 * amounts come from the row's own total (`all`, or split in two), so every cell is a valid one (the
 * importer wants positive amounts summing to the total): a zero total keeps the default (empty).
 */
const tenderShape = fc.constantFrom(
  '',
  '',
  '',
  '',
  'store_credit::all',
  'cash::all',
  'card:shopify_payments:all',
  'store_credit:shopify_store_credit:all',
  'gift_card:gift%3Acard:all',
  'other::all',
  'split',
);
type Tenders = 'none' | 'empty' | 'cells';

/** The tenders cell of `shape` for a canonical row (currency and total read from its cells). */
function tendersCell(shape: string, row: string): string {
  const cells = row.split(',');
  const cur = cells[8]!;
  const exponent = cur === 'JPY' ? 0 : 2;
  const minor = Math.round(Number(cells[9]) * 10 ** exponent);
  if (shape === '' || minor === 0) return '';
  const amount = (m: number) => (exponent === 0 ? String(m) : money(m, cur));
  if (shape === 'split') {
    if (minor < 2) return `card:shopify_payments:${amount(minor)}`;
    const half = Math.floor(minor / 2);
    return `card:shopify_payments:${amount(half)}|store_credit:shopify_store_credit:${amount(minor - half)}`;
  }
  return shape.replace(/all$/, amount(minor));
}

const dataSet = fc.record({
  pairs: fc.array(pair, { maxLength: 40 }),
  sf: fc.array(sfRow, { maxLength: 12 }),
  ns: fc.array(nsRow, { maxLength: 12 }),
  seed: fc.integer(),
  tenders: fc.constantFrom<Tenders>('none', 'none', 'empty', 'cells', 'cells'),
  shapes: fc.array(tenderShape, { minLength: 1, maxLength: 30 }),
});

type DataSet = typeof dataSet extends fc.Arbitrary<infer T> ? T : never;

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function file(header: string, rows: string[], tenders: boolean | Tenders, shapes: string[] = ['']): string {
  if (tenders === false || tenders === 'none') return write(`${header}\n${rows.map((r) => `${r}\n`).join('')}`);
  // An optional `tenders` column, empty (still flat) or with cells (those rows' orders go to the engine).
  const cell = (r: string, i: number) => (tenders === 'cells' ? tendersCell(shapes[i % shapes.length]!, r) : '');
  return write(`${header},tenders\n${rows.map((r, i) => `${r},${cell(r, i)}\n`).join('')}`);
}

/** The two canonical files of a data set, its rows shuffled (null: a side has no row). */
function filesOf(d: DataSet): { sf: string; ns: string } | null {
  const sfRows = shuffle([...d.pairs.map((p) => p.sf), ...d.sf], d.seed);
  const nsRows = shuffle([...d.pairs.map((p) => p.ns), ...d.ns], d.seed ^ 0x5bd1e995);
  if (sfRows.length === 0 || nsRows.length === 0) return null;
  return {
    sf: file(HEADER, sfRows, d.tenders, d.shapes),
    ns: file(HEADER, nsRows, d.tenders, [...d.shapes].reverse()),
  };
}

/**
 * `count` storefront refunds and their NetSuite records, paired by External ID; every `every`-th
 * NetSuite total is off by a little (an amount difference), the rest match plainly.
 */
function pairedFiles(count: number, units: number, every: number): { sf: string; ns: string } {
  const rows = Array.from({ length: count }, (_, i) => i);
  const sf = file(
    HEADER,
    rows.map(
      (i) =>
        `storefront,${900 + i},${900 + i},refund,#${i},,,2026-01-01,USD,${units}.${10 + i},,,,general,,,false,ok,,true,,,,,,,,`,
    ),
    false,
  );
  const ns = file(
    HEADER,
    rows.map(
      (i) =>
        `netsuite,${i},CR${i},cashRefund,#${i},,,2026-01-01,USD,${units}.${10 + (i % every === 0 ? i + 1 : i)},,,,general,${900 + i},,false,ok,,true,,,,,,,,`,
    ),
    false,
  );
  return { sf, ns };
}

describe('the flat fast path writes what the general path writes', { timeout: 600_000 }, () => {
  it('on random flat data sets rich in edge cases', async () => {
    let taken = 0;
    let runs = 0;
    let cellRuns = 0;
    let cellTaken = 0;
    await fc.assert(
      fc.asyncProperty(dataSet, async (d) => {
        const files = filesOf(d);
        if (!files) return;
        const { sf, ns } = files;
        const fast = await run(sf, ns, true);
        const general = await run(sf, ns, false);
        runs++;
        if (took(fast.phases)) taken++;
        if (d.tenders === 'cells') {
          cellRuns++;
          if (took(fast.phases)) cellTaken++;
        }
        expect(fast.bad).toBe(general.bad);
        expect(fast.csv).toBe(general.csv);
      }),
      { numRuns: 200 },
    );
    // Most sets are flat (repeated ids in a row or odd cells send some the general way).
    expect(taken).toBeGreaterThan(runs / 3);
    // Files with tenders cells are taken too (their orders go to the engine).
    expect(cellTaken).toBeGreaterThan(cellRuns / 3);
  });

  it('on random flat data sets, the plain rows written by the helper thread', async () => {
    let taken = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(dataSet, async (d) => {
        const files = filesOf(d);
        if (!files) return;
        const { sf, ns } = files;
        // Every other set with the helper started early, reading the storefront file itself.
        const fast = await run(sf, ns, true, true, runs % 2 === 1);
        const general = await run(sf, ns, false);
        runs++;
        if (took(fast.phases)) {
          taken++;
          expect(helped(fast.phases)).toBe(true);
        }
        expect(fast.bad).toBe(general.bad);
        expect(fast.csv).toBe(general.csv);
      }),
      { numRuns: 30 },
    );
    expect(taken).toBeGreaterThan(runs / 3);
  });

  it('on a set of plain pairs only, all written by the template', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => i);
    const sf = file(
      HEADER,
      rows.map(
        (i) =>
          `storefront,${700 + i},${700 + i},refund,#${i % 97},,,2026-03-0${1 + (i % 9)},EUR,${i}.${String(i % 100).padStart(2, '0')},,,,general,,,false,ok,,true,,,,,,,,`,
      ),
      false,
    );
    const ns = file(
      HEADER,
      rows.map(
        (i) =>
          `netsuite,${i},,cashRefund,#${i % 97},,,2026-03-0${1 + (i % 9)},EUR,${i}.${String(i % 100).padStart(2, '0')},,,,general,${700 + i},,false,ok,,true,,,,,,,,`,
      ),
      false,
    );
    const fast = await run(sf, ns, true);
    expect(took(fast.phases)).toBe(true);
    expect(fast.csv).toBe((await run(sf, ns, false)).csv);
    expect(fast.csv).toContain('agree on EUR');
  });

  it('an empty status on the first row reads as ok (found by the property above)', async () => {
    const sf = file(
      HEADER,
      [
        'storefront,9005,9005,refund,#1001,,,2026-01-05,USD,1.00,,,,general,,,false,,,true,,,,,,,,',
        'storefront,9001,9001,refund,#1001,,,2026-01-05,USD,1.00,,,,general,,,false,failed,,true,,,,,,,,',
        'storefront,9003,9003,refund,#1001,,,2026-01-05,USD,1.00,,,,general,,,false,ok,,true,,,,,,,,',
      ],
      false,
    );
    const ns = file(
      HEADER,
      ['netsuite,1,CR1,cashRefund,#7,,,2026-01-05,USD,1.00,,,,general,,,false,ok,,true,,,,,,,,'],
      false,
    );
    const fast = await run(sf, ns, true);
    expect(took(fast.phases)).toBe(true);
    expect(fast.csv).toBe((await run(sf, ns, false)).csv);
    expect(fast.csv).toContain('sf:9005,missing_in_netsuite');
  });

  it('on a worker thread (the large-file path)', async () => {
    const previous = process.env.REFUND_RECON_PARSE_THREAD;
    process.env.REFUND_RECON_PARSE_THREAD = 'always';
    try {
      const { sf, ns } = pairedFiles(50, 1, 7);
      const fast = await run(sf, ns, true);
      expect(took(fast.phases)).toBe(true);
      expect(helped(fast.phases)).toBe(true);
      expect(fast.csv).toBe((await run(sf, ns, false)).csv);
    } finally {
      if (previous === undefined) delete process.env.REFUND_RECON_PARSE_THREAD;
      else process.env.REFUND_RECON_PARSE_THREAD = previous;
    }
  });

  it('with tenders cells: their orders go to the engine, the rest stays plain (issue 18)', async () => {
    // The bench's shape: a few refunds paid back in store credit, booked as cash in NetSuite.
    const rows = Array.from({ length: 200 }, (_, i) => i);
    const credit = (i: number) => i % 50 === 7;
    const sf = write(
      `${HEADER},tenders\n${rows
        .map(
          (i) =>
            `storefront,${700 + i},${700 + i},refund,#${i},,,2026-03-01,USD,${10 + i}.25,,,,general,,,false,ok,,true,,,,,,,,,${credit(i) ? `store_credit::${10 + i}.25` : ''}\n`,
        )
        .join('')}`,
    );
    const ns = write(
      `${HEADER},tenders\n${rows
        .map(
          (i) =>
            `netsuite,${i},CR${i},cashRefund,#${i},,,2026-03-01,USD,${10 + i}.25,,,,general,${700 + i},,false,ok,,true,,,,,,,,,${credit(i) ? `cash::${10 + i}.25` : ''}\n`,
        )
        .join('')}`,
    );
    const fast = await run(sf, ns, true);
    expect(took(fast.phases)).toBe(true);
    expect(fast.csv).toBe((await run(sf, ns, false)).csv);
    expect(fast.csv.split('tender_mismatch').length - 1).toBe(rows.filter(credit).length);
  });

  it('a tenders cell the byte reader leaves to the importer: read, or its error (file, line, field)', async () => {
    // Plain cells are read from their bytes (odd-row-refund.ts); these go to the full importer,
    // which reads the first few and refuses the rest with its own words.
    const cells = [
      'gift_card:gift%3Acard:12.34',
      ' cash::12.34',
      'cash: :12.34',
      'bogus::12.34',
      'cash:12.34',
      'cash::-12.34',
      'cash::12.34|',
      'cash::6.17|cash::6.17|cash::1.00',
      'cash::0.00',
      'cash::12.3',
      'cash::$12.34',
    ];
    const sf = file(
      HEADER,
      ['storefront,1,1,refund,#1,,,2026-01-01,USD,12.34,,,,general,,,false,ok,,true,,,,,,,,'],
      false,
    );
    let errors = 0;
    for (const cell of cells) {
      const ns = write(
        `${HEADER},tenders\nnetsuite,7,CR7,cashRefund,#2,,,2026-01-01,USD,1.00,,,,general,,,false,ok,,true,,,,,,,,,\n` +
          `netsuite,8,CR8,cashRefund,#1,,,2026-01-01,USD,12.34,,,,general,1,,false,ok,,true,,,,,,,,,${cell}\n`,
      );
      const fast = await run(sf, ns, true);
      const general = await run(sf, ns, false);
      expect(fast.bad, cell).toBe(general.bad);
      expect(fast.csv, cell).toBe(general.csv);
      if (fast.bad) {
        errors++;
        expect(fast.bad, cell).toContain('"line":3');
        // The cell's column, or the tender the schema refused (`tenders.0.amount`).
        expect(fast.bad, cell).toMatch(/"(column|field)":"tenders/);
      } else expect(took(fast.phases), cell).toBe(true);
    }
    expect(errors).toBeGreaterThan(cells.length / 2);
  });

  it('on the demo files (not flat: the general path, same bytes)', async () => {
    const demo = path.join(root, 'resources', 'demo');
    const sf = path.join(demo, DEMO_FILES.storefront);
    const ns = path.join(demo, DEMO_FILES.netsuite);
    const fast = await run(sf, ns, true);
    expect(fast.csv.length).toBeGreaterThan(100);
    expect(fast.csv).toBe((await run(sf, ns, false)).csv);
    // With a helper started early (the CLI's way) the fast path declines and the general path runs.
    const early = await run(sf, ns, true, false, true);
    expect(took(early.phases)).toBe(false);
    expect(early.csv).toBe(fast.csv);
  });

  it('with the helper started early, reading the storefront file itself (the CLI’s way)', async () => {
    const { sf, ns } = pairedFiles(60, 2, 9);
    const early = await run(sf, ns, true, false, true);
    expect(took(early.phases)).toBe(true);
    expect(helped(early.phases)).toBe(true);
    expect(early.csv).toBe((await run(sf, ns, false)).csv);
    // A storefront file it cannot read: the helper fails, the general path says why.
    const missing = path.join(tmp, 'no-such-file.csv');
    fs.writeFileSync(missing, 'x');
    const previous = process.env.REFUND_RECON_PARSE_THREAD;
    process.env.REFUND_RECON_PARSE_THREAD = 'always';
    const gone = startEarlyHelper(missing);
    if (previous === undefined) delete process.env.REFUND_RECON_PARSE_THREAD;
    else process.env.REFUND_RECON_PARSE_THREAD = previous;
    fs.rmSync(missing);
    expect(gone).not.toBeNull();
    try {
      await expect(gone!.table).rejects.toThrow();
    } finally {
      gone?.stop();
    }
  });

  it('bad input gets the full importer’s error (file, line, field)', async () => {
    const good = file(
      HEADER,
      ['storefront,1,1,refund,#1,,,2026-01-01,USD,12.34,,,,general,,,false,ok,,true,,,,,,,,'],
      false,
    );
    const bad = file(
      HEADER,
      ['netsuite,1,CR1,cashRefund,#1,,,2026-01-01,USD,12.x4,,,,general,,,false,ok,,true,,,,,,,,'],
      false,
    );
    const fast = await run(good, bad, true);
    expect(fast.bad).toBeDefined();
    expect(fast.bad).toBe((await run(good, bad, false)).bad);
    expect(fast.bad).toContain('"line":2');
  });
});
