import fs from 'node:fs';
import path from 'node:path';

/**
 * Flat reconcile data (issue 15): N storefront refunds and ~1.005 N NetSuite refunds, one row
 * each, with 0.5 % each of planted missing, extra, changed-total and exact-duplicate records.
 * Written twice: as flat CSV (`order_ref,refund_id,currency,total,date`) for the pandas and raw
 * Node baselines, and as this app's canonical CSV (no lines) for `refund-recon reconcile`.
 * Seeded, so every run compares the same files; cached in bench/data/flat-<N>/.
 */

export interface FlatData {
  dir: string;
  storefrontFlat: string;
  netsuiteFlat: string;
  storefrontCanonical: string;
  netsuiteCanonical: string;
  /**
   * The planted differences, by storefront refund id (missing, changed, tender) or NetSuite id
   * (extra, duplicate). `tender`: store-credit refunds booked as cash in NetSuite (issue 18).
   */
  planted: { missing: number; extra: number; changed: number; duplicate: number; tender?: number };
  storefrontRows: number;
  netsuiteRows: number;
}

/** mulberry32: a small, fast, seedable PRNG (bench data only; never used for anything secret). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CURRENCIES: { code: string; decimals: number; weight: number }[] = [
  { code: 'USD', decimals: 2, weight: 0.8 },
  { code: 'EUR', decimals: 2, weight: 0.1 },
  { code: 'GBP', decimals: 2, weight: 0.05 },
  { code: 'JPY', decimals: 0, weight: 0.05 },
];

function pickCurrency(r: number): (typeof CURRENCIES)[number] {
  let acc = 0;
  for (const c of CURRENCIES) {
    acc += c.weight;
    if (r < acc) return c;
  }
  return CURRENCIES[0]!;
}

function decimal(minor: number, decimals: number): string {
  if (decimals === 0) return String(minor);
  const s = String(minor).padStart(decimals + 1, '0');
  return `${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}

const DAY_MS = 86_400_000;
const START = Date.UTC(2025, 0, 1);
const isoDay = (day: number) => new Date(START + day * DAY_MS).toISOString().slice(0, 10);

const CANONICAL_HEADER =
  'side,id,documentNumber,recordType,orderRef,createdFromType,createdFromRef,date,currency,total,shipping,tax,adjustment,kind,externalId,memo,isTest,status,appliesTo,moneyMoved,presentmentCurrency,presentmentTotal,lineSku,lineDescription,lineQuantity,lineAmount,lineTax,lineRole';

/** Share of matching refunds planted as store credit on the storefront and cash in NetSuite. */
const TENDER_SHARE = 0.002;

/** Buffered line writer: one syscall per ~1 MB instead of one per row. */
function writer(file: string): { add(line: string): void; close(): void } {
  const fd = fs.openSync(file, 'w');
  let buf: string[] = [];
  let size = 0;
  const flush = () => {
    fs.writeSync(fd, buf.join(''));
    buf = [];
    size = 0;
  };
  return {
    add(line) {
      buf.push(line);
      size += line.length;
      if (size > 1 << 20) flush();
    },
    close() {
      flush();
      fs.closeSync(fd);
    },
  };
}

/**
 * `tenders` (the default; REFUND_RECON_BENCH_TENDERS=0 leaves them out) adds a `tenders` column to
 * the canonical CSVs and plants 0.2 % store-credit refunds booked as cash in NetSuite
 * (tender_mismatch, tenders.md §2); the other records are the same either way (the tender draw has
 * its own PRNG), and the flat CSVs are identical.
 */
export function generateFlatData(
  n: number,
  root = path.join(__dirname, 'data'),
  tenders = process.env.REFUND_RECON_BENCH_TENDERS !== '0',
): FlatData {
  const dir = path.join(root, tenders ? `flat-tenders-${n}` : `flat-${n}`);
  const files = {
    storefrontFlat: path.join(dir, 'sf-flat.csv'),
    netsuiteFlat: path.join(dir, 'ns-flat.csv'),
    storefrontCanonical: path.join(dir, 'sf-canonical.csv'),
    netsuiteCanonical: path.join(dir, 'ns-canonical.csv'),
  };
  const manifest = path.join(dir, 'manifest.json');
  // The paths are this folder's, not the ones written in the manifest: a set copied or linked from
  // another checkout keeps pointing at its own files.
  if (fs.existsSync(manifest)) return { ...(JSON.parse(fs.readFileSync(manifest, 'utf8')) as FlatData), dir, ...files };
  fs.mkdirSync(dir, { recursive: true });

  const rand = prng(15_2026);
  const sfFlat = writer(files.storefrontFlat);
  const nsFlat = writer(files.netsuiteFlat);
  const sfCan = writer(files.storefrontCanonical);
  const nsCan = writer(files.netsuiteCanonical);
  sfFlat.add('order_ref,refund_id,currency,total,date\n');
  nsFlat.add('order_ref,refund_id,currency,total,date\n');
  const header = `${CANONICAL_HEADER}${tenders ? ',tenders' : ''}\n`;
  sfCan.add(header);
  nsCan.add(header);
  const tenderRand = prng(18_2026);

  const planted: FlatData['planted'] = {
    missing: 0,
    extra: 0,
    changed: 0,
    duplicate: 0,
    ...(tenders ? { tender: 0 } : {}),
  };
  /** The tenders cell (canonical-tenders.ts: kind:gateway:amount), '' for the default; none without the column. */
  const tenderCell = (cell: string) => (tenders ? `,${cell}` : '');
  let nsId = 5_000_000;
  let nsRows = 0;
  const nsRecord = (
    order: string,
    refundId: string,
    cur: (typeof CURRENCIES)[number],
    total: number,
    day: number,
    tender = '',
  ) => {
    nsId++;
    nsRows++;
    const amount = decimal(total, cur.decimals);
    const date = isoDay(day);
    nsFlat.add(`${order},${refundId},${cur.code},${amount},${date}\n`);
    nsCan.add(
      `netsuite,${nsId},CR${nsId},cashRefund,${order},,,${date},${cur.code},${amount},,,,general,${refundId},,false,ok,,true,,,,,,,,${tenderCell(tender && `${tender}::${amount}`)}\n`,
    );
  };

  let order = 100_000;
  for (let i = 0; i < n; i++) {
    // About one order in ten has a second refund.
    if (i === 0 || rand() >= 0.1) order++;
    const orderRef = `#${order}`;
    const refundId = String(900_000_000 + i);
    const r = rand();
    const cur = pickCurrency(r);
    const total = cur.decimals === 0 ? 100 + Math.floor(rand() * 30_000) : 100 + Math.floor(rand() * 50_000);
    const day = Math.floor(rand() * 365);
    const amount = decimal(total, cur.decimals);
    // Drawn for every refund (its own PRNG), used only on one that otherwise matches exactly.
    const tenderDraw = tenderRand();
    const plant = rand();
    const storeCredit = tenders && plant >= 0.015 && tenderDraw < TENDER_SHARE;
    sfFlat.add(`${orderRef},${refundId},${cur.code},${amount},${isoDay(day)}\n`);
    sfCan.add(
      `storefront,${refundId},${refundId},refund,${orderRef},,,${isoDay(day)},${cur.code},${amount},,,,general,,,false,ok,,true,,,,,,,,${tenderCell(storeCredit ? `store_credit::${amount}` : '')}\n`,
    );

    // 0.5 % each: missing in NetSuite, changed total, duplicated in NetSuite; the rest match.
    if (plant < 0.005) {
      planted.missing++;
      continue;
    }
    const nsDay = day + (rand() < 0.2 ? 1 : 0);
    if (plant < 0.01) {
      planted.changed++;
      // Half within a cent (rounding), half a real difference (amount_mismatch).
      const delta = rand() < 0.5 ? 1 : 100 + Math.floor(rand() * 2_000);
      nsRecord(orderRef, refundId, cur, total + delta, nsDay);
      continue;
    }
    if (storeCredit) planted.tender! += 1;
    nsRecord(orderRef, refundId, cur, total, nsDay, storeCredit ? 'cash' : '');
    if (plant < 0.015) {
      planted.duplicate++;
      nsRecord(orderRef, refundId, cur, total, nsDay);
    }
  }
  // 0.5 % extra NetSuite records: refunds on orders the storefront export does not hold.
  const extras = Math.round(n * 0.005);
  for (let e = 0; e < extras; e++) {
    planted.extra++;
    nsRecord(`#${9_000_000 + e}`, String(800_000_000 + e), CURRENCIES[0]!, 1_000 + e, e % 365);
  }
  for (const w of [sfFlat, nsFlat, sfCan, nsCan]) w.close();

  const data: FlatData = { dir, ...files, planted, storefrontRows: n, netsuiteRows: nsRows };
  fs.writeFileSync(manifest, JSON.stringify(data, null, 2));
  return data;
}
