import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { queryResults, queryTotals } from '../src/main/reconcile/run-store';
import { openWorkspace } from '../src/main/store/open';
import { ResultsPageQuery, ResultsQuery } from '../src/shared/contract/run';
import { startServe } from '../test/e2e/serve-process';
import { generateUiWorkspace } from './gen-ui-data';

/**
 * The review screen on a run of 1,000,000 results (bench/gen-ui-data.ts), in browser mode, driven
 * by Playwright in Debian's Chromium: first rows after opening, filter and sort answers, and frame
 * times while scrolling from the top to the bottom. Needs `npm run build` (the renderer) first.
 * Figures go to stdout; docs/benchmarks/ui.md keeps the latest.
 */

const N = Number(process.env.UI_BENCH_RESULTS ?? 1_000_000);

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { n: values.length, median: q(0.5), p95: q(0.95), p99: q(0.99), max: sorted.at(-1) ?? 0 };
}
const ms = (v: number) => `${v.toFixed(0)} ms`;

/** Clicks/acts, then waits until the grid shows loaded rows again and `done()` holds; wall time in ms. */
// Minimal DOM shapes for the functions that run in the page (the Node tsconfig has no DOM lib; the
// functions are serialised, so each one looks its globals up itself: `globalThis as unknown as W`).
interface El {
  id: string;
  textContent: string | null;
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}
interface W {
  document: { querySelector(s: string): El | null; querySelectorAll(s: string): Iterable<El> };
  DOMMatrix: new (t: string) => { m42: number };
  getComputedStyle(e: El): { transform: string };
  requestAnimationFrame(cb: () => void): number;
}

// Predicates are functions, never strings: the page's CSP (no 'unsafe-eval') refuses string evaluation.
type Predicate<A> = (arg: A) => boolean;
async function timed<A = undefined>(
  page: Page,
  act: () => Promise<void>,
  done: Predicate<A>,
  arg?: A,
): Promise<number> {
  const t0 = performance.now();
  await act();
  await page.waitForFunction(done as unknown as (a: unknown) => boolean, arg as unknown, {
    polling: 'raf',
    timeout: 120_000,
  });
  return performance.now() - t0;
}

const FIRST_ROW_LOADED: Predicate<undefined> = () =>
  !!(globalThis as unknown as W).document.querySelector('.grid-body tr[id^="result-"]');

const CHANGED: Predicate<{ firstBefore: string | null; before: string | null }> = ({ firstBefore, before }) => {
  const { document } = globalThis as unknown as W;
  const r = document.querySelector('.grid-body tr');
  const s = document.querySelector('.result-count');
  return !!r && !!r.id && (r.id !== firstBefore || s?.textContent !== before);
};

const FIRST_ROW_LOADED_AT_VIEW: Predicate<undefined> = () => {
  const { document, DOMMatrix, getComputedStyle } = globalThis as unknown as W;
  const el = document.querySelector('.grid-wrap') as El;
  const top = el.scrollTop;
  return [...document.querySelectorAll('.grid-body tr[id^="result-"]')].some((r) => {
    const y = new DOMMatrix(getComputedStyle(r).transform).m42;
    return y >= top - 60 && y <= top + el.clientHeight;
  });
};

/**
 * Where a `run:results` answer's time goes, in-process (no HTTP, no browser): pages as the grid
 * asks for them now (no count, no totals; by cursor or by offset), `run:totals`, the search, and
 * the old whole query (count + totals + page) for comparison.
 */
function serverSideFigures(file: string, runId: number): void {
  const db = openWorkspace(file, { readonly: true });
  try {
    const time = (fn: () => unknown) => {
      fn();
      const t = performance.now();
      fn();
      return performance.now() - t;
    };
    const q = (extra: object) => ResultsPageQuery.parse({ runId, limit: 1000, ...extra });
    const page = (extra: object) => ({ totals: false, count: false, ...extra });
    const deep = queryResults(db, q(page({ offset: 499_000 })));
    const deepByDate = queryResults(db, q(page({ offset: 499_000, sort: 'date' })));
    const cases: Array<[string, () => unknown]> = [
      ['run:results default, count + totals (as before)', () => queryResults(db, q({}))],
      ['page 0 default (worst first)', () => queryResults(db, q(page({})))],
      ['page 0 sort by date', () => queryResults(db, q(page({ sort: 'date' })))],
      ['page 0 sort by order', () => queryResults(db, q(page({ sort: 'orderRef', direction: 'asc' })))],
      ['page 0 sort by currency', () => queryResults(db, q(page({ sort: 'currency', direction: 'asc' })))],
      ['page 0 filter code = amount_mismatch', () => queryResults(db, q(page({ codes: ['amount_mismatch'] })))],
      ['page at offset 500,000 (sought)', () => queryResults(db, q(page({ offset: 500_000 })))],
      ['page at offset 500,000, by date', () => queryResults(db, q(page({ offset: 500_000, sort: 'date' })))],
      ['page after a cursor at 500,000', () => queryResults(db, q(page({ after: deep.last })))],
      ['… by date', () => queryResults(db, q(page({ sort: 'date', after: deepByDate.last })))],
      ['page before a cursor at 500,000', () => queryResults(db, q(page({ before: deep.first })))],
      ['run:totals unfiltered (stored)', () => queryTotals(db, ResultsQuery.parse({ runId }))],
      [
        'run:totals code = amount_mismatch',
        () => queryTotals(db, ResultsQuery.parse({ runId, codes: ['amount_mismatch'] })),
      ],
      ['run:totals currency = EUR', () => queryTotals(db, ResultsQuery.parse({ runId, currencies: ['EUR'] }))],
      ['search "#654321" page (FTS5)', () => queryResults(db, q(page({ search: '#654321' })))],
      ['search "#654321" run:totals', () => queryTotals(db, ResultsQuery.parse({ runId, search: '#654321' }))],
      ['search "65432" (11 hits) run:totals', () => queryTotals(db, ResultsQuery.parse({ runId, search: '65432' }))],
    ];
    for (const [label, fn] of cases) console.log(`server: ${label.padEnd(48)} ${ms(time(fn))}`);
  } finally {
    db.close();
  }
}

/** Migration 006 on the benchmark workspace (FTS5 rebuild over the stored results), timed once. */
function migrateFigures(file: string, runId: number): void {
  const t = performance.now();
  const db = openWorkspace(file);
  const took = performance.now() - t;
  // A run stored before 006 (as this generated one): its unfiltered totals are computed and stored once.
  const t1 = performance.now();
  queryTotals(db, ResultsQuery.parse({ runId }));
  console.log(`first run:totals of the run (computed once, then stored): ${ms(performance.now() - t1)}`);
  let size: number | null = null;
  try {
    size = (db.prepare("SELECT sum(pgsize) AS b FROM dbstat WHERE name LIKE 'results_search%'").get() as { b: number })
      .b;
  } catch {
    // dbstat is not compiled in: no size.
  }
  db.close();
  console.log(
    `workspace opened (migrations, incl. 006's FTS5 build if pending): ${ms(took)}; results_search ${size === null ? '?' : `${(size / 1048576).toFixed(0)} MiB`}`,
  );
}

/**
 * The search index's cost at run-store time: the same 200,000 results rows inserted with the
 * FTS5 triggers and without them (one transaction each, in a scratch workspace).
 */
function writeCostFigures(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-ui-write-'));
  const db = openWorkspace(path.join(dir, 'w.sqlite'));
  try {
    const now = new Date().toISOString();
    const snap = db.prepare(
      "INSERT INTO snapshots (side, label, source, format, importer_version, created_at) VALUES (?, 'x', 'file', 'canonical-csv', 'bench', ?)",
    );
    const sf = snap.run('storefront', now).lastInsertRowid;
    const ns = snap.run('netsuite', now).lastInsertRowid;
    const runId = db
      .prepare(
        "INSERT INTO comparison_runs (storefront_snapshot_id, netsuite_snapshot_id, rules, status, started_at) VALUES (?, ?, '{}', 'complete', ?)",
      )
      .run(sf, ns, now).lastInsertRowid;
    const insert = db.prepare(
      `INSERT INTO results (run_id, result_key, code, severity, order_ref, order_key, currency, date, storefront_total, netsuite_total, difference, search_text)
       VALUES (?, ?, 'matched', 'ok', ?, ?, 'USD', '2025-03-01', 100, 100, 0, ?)`,
    );
    const write = (from: number, n: number) => {
      const t = performance.now();
      db.transaction(() => {
        for (let i = from; i < from + n; i++) {
          insert.run(
            runId,
            `sf:${i}`,
            `#${100001 + i}`,
            String(100001 + i),
            `#${100001 + i} 9${700000000 + i} cr${100001 + i} ${4000000 + i}`,
          );
        }
      })();
      return performance.now() - t;
    };
    const n = 200_000;
    const withFts = write(0, n);
    db.exec('DROP TRIGGER results_search_ai');
    const without = write(n, n);
    console.log(
      `write ${n.toLocaleString('en')} results rows: with the FTS5 trigger ${ms(withFts)}, without ${ms(without)} (+${(((withFts - without) / without) * 100).toFixed(0)}%)`,
    );
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  if (!fs.existsSync(path.resolve('out/renderer/index.html'))) throw new Error('Run `npm run build` first.');
  const t0 = Date.now();
  const data = generateUiWorkspace(N);
  console.log(`workspace: ${data.file} (run ${data.runId}, ${data.results} results; ready in ${Date.now() - t0} ms)`);
  console.log(
    `load average: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  migrateFigures(data.file, data.runId);
  serverSideFigures(data.file, data.runId);
  writeCostFigures();
  const serve = await startServe(['--workspace', data.file]);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Cold open: page load, app start, run list, first page of the review.
    const open = await timed(page, () => page.goto(serve.pageUrl).then(() => undefined), FIRST_ROW_LOADED);
    const count = await page.getByRole('status', { name: 'Result count' }).textContent();
    console.log(`open (cold page load → first rows visible): ${ms(open)}  [${count}]`);
    // Warm open: from another screen back to Review.
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      await page.getByRole('heading', { name: 'Settings' }).waitFor();
      warm.push(
        await timed(page, () => page.getByRole('link', { name: 'Review', exact: true }).click(), FIRST_ROW_LOADED),
      );
    }
    console.log(`open (Review from another screen → first rows): ${warm.map(ms).join(', ')}`);

    const grid = page.getByRole('grid', { name: 'Results' });
    const statusText = () => page.getByRole('status', { name: 'Result count' }).textContent();
    const answer = async (label: string, act: () => Promise<void>) => {
      const before = await statusText();
      const firstBefore = await grid.locator('tbody tr').first().getAttribute('id');
      const wall = await timed(page, act, CHANGED, { firstBefore, before });
      const inApp = await page.locator('.status-line span').nth(1).textContent();
      console.log(`${label.padEnd(46)} ${ms(wall).padStart(8)}   (${inApp}; ${await statusText()})`);
      return wall;
    };
    const figures: Record<string, number> = {};
    figures['sort: Date'] = await answer('sort by Date (header)', () =>
      grid.getByRole('button', { name: 'Date', exact: true }).click(),
    );
    figures['sort: Date asc'] = await answer('sort by Date, ascending', () =>
      grid.getByRole('button', { name: 'Date', exact: true }).click(),
    );
    figures['sort: Difference'] = await answer('sort by Difference', () =>
      grid.getByRole('button', { name: 'Difference', exact: true }).click(),
    );
    figures['sort: Order'] = await answer('sort by Order', () =>
      grid.getByRole('button', { name: 'Order', exact: true }).click(),
    );
    await page.getByLabel('Code filter').click();
    figures['filter: code'] = await answer('filter: code = Amount mismatch', () =>
      page.getByRole('checkbox', { name: 'Amount mismatch' }).check(),
    );
    figures['filter: + code'] = await answer('filter: + Duplicate', () =>
      page.getByRole('checkbox', { name: 'Duplicate' }).check(),
    );
    await page.getByLabel(/Code filter/).click();
    figures['filter: currency'] = await answer('filter: currency = EUR (with codes)', async () => {
      await page.getByLabel('Currency filter').click();
      await page.getByRole('checkbox', { name: 'EUR' }).check();
    });
    await page.getByLabel(/Currency filter/).click();
    figures.clear = await answer('clear filters (back to 1M rows)', () =>
      page.getByRole('button', { name: 'Clear filters' }).click(),
    );
    figures.search = await answer('search an order reference', async () => {
      await page.getByRole('searchbox', { name: 'Search' }).fill('#654321');
      await page.getByRole('searchbox', { name: 'Search' }).press('Enter');
    });
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForFunction(FIRST_ROW_LOADED as () => boolean);

    // Scroll from top to bottom: 1,000 animation frames, each moving 1/1000 of the way, measuring
    // frame times in the page; then how long the rows take to load where the scroll stopped.
    const sweep = (await page.evaluate(async () => {
      const { document, requestAnimationFrame } = globalThis as unknown as W;
      const el = document.querySelector('.grid-wrap') as El;
      const steps = 1000;
      const max = el.scrollHeight - el.clientHeight;
      const frames: number[] = [];
      let loadedFrames = 0;
      let last = performance.now();
      for (let i = 1; i <= steps; i++) {
        el.scrollTop = Math.round((max * i) / steps);
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        frames.push(now - last);
        last = now;
        if (document.querySelector('.grid-body tr[id^="result-"]')) loadedFrames++;
      }
      return { frames, loadedFrames, scrollHeight: el.scrollHeight };
    })) as { frames: number[]; loadedFrames: number; scrollHeight: number };
    const s = stats(sweep.frames);
    console.log(
      `scroll top → bottom in 1,000 frames (${sweep.scrollHeight.toLocaleString('en')} px): frame median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms; frames with loaded rows ${sweep.loadedFrames}/1000`,
    );
    const bottom = await timed(page, async () => undefined, FIRST_ROW_LOADED_AT_VIEW);
    console.log(`rows at the bottom after the sweep stops: ${ms(bottom)}`);
    const last = await page.locator('.grid-body tr[id^="result-"]').last().getAttribute('aria-rowindex');
    console.log(`last row index rendered: ${last} (of ${N + 1} including the header)`);

    // Wheel-speed scrolling near the top: 600 frames of 120 px (a fast trackpad), frame times.
    const wheel = (await page.evaluate(async () => {
      const { document, requestAnimationFrame, DOMMatrix, getComputedStyle } = globalThis as unknown as W;
      const el = document.querySelector('.grid-wrap') as El;
      el.scrollTop = 0;
      await new Promise((r) => setTimeout(r, 500));
      const frames: number[] = [];
      let placeholders = 0;
      let last = performance.now();
      for (let i = 0; i < 600; i++) {
        el.scrollTop += 120;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const now = performance.now();
        frames.push(now - last);
        last = now;
        const top = el.scrollTop + 30;
        const bottom = el.scrollTop + el.clientHeight;
        const visibleLoading = [...document.querySelectorAll('.grid-body tr.loading')].some((r) => {
          const y = new DOMMatrix(getComputedStyle(r).transform).m42 + 30;
          return y + 30 > top && y < bottom;
        });
        if (visibleLoading) placeholders++;
      }
      return { frames, placeholders };
    })) as { frames: number[]; placeholders: number };
    const w = stats(wheel.frames);
    console.log(
      `wheel scroll (600 frames × 120 px from the top): frame median ${w.median.toFixed(1)} ms, p95 ${w.p95.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms, max ${w.max.toFixed(1)} ms; frames with a placeholder row in view ${wheel.placeholders}/600`,
    );
    // The renderer never holds all rows: count the rows in the DOM and the JS heap.
    const dom = await page.locator('.grid-body tr').count();
    const heap = await page.evaluate(
      () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
    );
    console.log(`rows in the DOM: ${dom}; renderer JS heap: ${(heap / 1048576).toFixed(1)} MiB`);
    const over = Object.entries(figures).filter(([, v]) => v > 200);
    console.log(
      `load average: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      `targets: open < 1 s: ${open < 1000 ? 'met' : 'NOT met'}; filter/sort < 200 ms: ${over.length === 0 ? 'met' : `NOT met for ${over.map(([k]) => k).join(', ')}`}`,
    );
  } finally {
    await browser.close();
    await serve.stop();
  }
}
