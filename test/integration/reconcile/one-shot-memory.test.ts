import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_FILES, demoCanonical, generateDemo } from '../../../src/main/demo/generate';
import { canonicalCsvHeader, canonicalCsvRows } from '../../../src/main/importers/canonical-csv';
import { openWorkspace } from '../../../src/main/store/open';
import { type ReconcileOutputFormat, reconcileFiles } from '../../../src/main/use-cases/reconcile-files';
import type { CanonicalRefund } from '../../../src/shared/model';

/**
 * Issue 15: `reconcile` on files without a workspace runs in memory (store/memory-snapshot.ts);
 * with a workspace it imports into SQLite and reads the matcher's columns back. Both must write
 * the same bytes in every format, whichever reader took the files (the fast canonical CSV reader,
 * the full importers) and whether the files were read here or on worker threads.
 */
const root = path.resolve(__dirname, '../../..');
const demo = path.join(root, 'resources', 'demo');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-one-shot-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

const FLAT_HEADER =
  'side,id,documentNumber,recordType,orderRef,createdFromType,createdFromRef,date,currency,total,shipping,tax,adjustment,kind,externalId,memo,isTest,status,appliesTo,moneyMoved,presentmentCurrency,presentmentTotal,lineSku,lineDescription,lineQuantity,lineAmount,lineTax,lineRole\n';

/**
 * A flat export (one row per refund, no lines) with what the fast reader and the template rows
 * must get right: order keys out of order and beyond the BMP, quoted memos, a formula-like
 * document number, ids that are not digits, repeated ids, amounts below 1 and negative ones.
 */
function flatFiles(): { sf: string; ns: string } {
  const sf: string[] = [FLAT_HEADER];
  const ns: string[] = [FLAT_HEADER];
  const orders = ['#1005', '#1001', 'ORD-\u{1F600}7', '#1003', 'ORD-\uFFFD2', '#1002', '#1004', ' #1006 ', 'so 1007'];
  let nsId = 7000;
  for (let i = 0; i < 120; i++) {
    const order = orders[i % orders.length]!;
    const id = i % 17 === 0 ? `R-${i}` : String(900_000 + ((i * 7919) % 1000));
    const currency = i % 5 === 0 ? 'JPY' : 'USD';
    const minor = 50 + ((i * 31) % 900);
    const amount =
      currency === 'JPY' ? String(minor) : `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
    const day = `2026-0${1 + (i % 9)}-1${i % 10}`;
    const memo = i % 11 === 0 ? '"note, with comma"' : '';
    sf.push(
      `storefront,${id},${id},refund,${order},,,${day},${currency},${amount},,,,general,,${memo},false,ok,,true,,,,,,,,\n`,
    );
    if (i % 23 === 5) continue; // missing in NetSuite
    nsId++;
    const nsAmount =
      i % 19 === 3 ? (currency === 'JPY' ? String(minor + 7) : `${Math.floor(minor / 100) + 1}.00`) : amount;
    const doc = i % 29 === 4 ? '=CR' : `CR${nsId}`;
    ns.push(
      `netsuite,${nsId},${doc},cashRefund,${order},cashSale,CS${i},${day},${currency},${nsAmount},,,,general,${id},${memo},false,ok,,true,,,,,,,,\n`,
    );
    if (i % 31 === 7)
      ns.push(
        `netsuite,${nsId + 5000},CR${nsId + 5000},cashRefund,${order},,,${day},${currency},${nsAmount},,,,general,${id},,false,ok,,true,,,,,,,,\n`,
      );
  }
  ns.push('netsuite,9999,CR9999,cashRefund,#77,,,2026-03-03,USD,-0.50,,,,general,,,false,ok,,true,,,,,,,,\n');
  return { sf: sf.join(''), ns: ns.join('') };
}

function canonicalText(refunds: CanonicalRefund[]): string {
  return canonicalCsvHeader() + refunds.map(canonicalCsvRows).join('');
}

interface Case {
  name: string;
  storefront: string[];
  netsuite: string[];
}

function cases(): Case[] {
  const flat = flatFiles();
  const flatSf = write('flat-sf.csv', flat.sf);
  const flatNs = write('flat-ns.csv', flat.ns);
  const half = (text: string, name: string): [string, string] => {
    const lines = text.split('\n');
    const header = `${lines[0]}\n`;
    const body = lines.slice(1).filter(Boolean);
    const cut = Math.floor(body.length / 2);
    return [
      write(
        `${name}-1.csv`,
        header +
          body
            .slice(0, cut)
            .map((l) => `${l}\n`)
            .join(''),
      ),
      write(
        `${name}-2.csv`,
        header +
          body
            .slice(cut)
            .map((l) => `${l}\n`)
            .join(''),
      ),
    ];
  };
  const { storefront, netsuite } = demoCanonical(generateDemo());
  return [
    {
      name: 'the demo files (full importers)',
      storefront: [path.join(demo, DEMO_FILES.storefront)],
      netsuite: [path.join(demo, DEMO_FILES.netsuite)],
    },
    {
      name: 'canonical CSV with lines, tenders and presentment money (full importer)',
      storefront: [write('demo-sf.csv', canonicalText(storefront))],
      netsuite: [write('demo-ns.csv', canonicalText(netsuite))],
    },
    { name: 'a flat canonical CSV (fast reader)', storefront: [flatSf], netsuite: [flatNs] },
    { name: 'two flat files a side', storefront: half(flat.sf, 'sf-half'), netsuite: half(flat.ns, 'ns-half') },
  ];
}

async function run(c: Case, format: ReconcileOutputFormat, inWorkspace: boolean): Promise<string> {
  const dir = fs.mkdtempSync(path.join(tmp, 'ws-'));
  const workspacePath = path.join(dir, 'w.sqlite');
  const db = openWorkspace(workspacePath);
  let text = '';
  try {
    await reconcileFiles(
      { db, workspacePath },
      {
        storefront: { files: c.storefront, snapshotIds: [] },
        netsuite: { files: c.netsuite, snapshotIds: [] },
        rules: {},
        keepWorkspace: inWorkspace,
        format,
        write: (chunk) => {
          text += chunk.toString();
        },
      },
    );
  } finally {
    db.close();
  }
  return text;
}

describe('reconcile in memory writes what the workspace path writes', { timeout: 120_000 }, () => {
  for (const c of cases()) {
    it(c.name, async () => {
      for (const format of ['csv', 'json', 'table'] as const) {
        const inMemory = await run(c, format, false);
        expect(inMemory.length).toBeGreaterThan(100);
        expect(inMemory, format).toBe(await run(c, format, true));
      }
    });
  }

  it('the same on worker threads (one per file)', async () => {
    const previous = process.env.REFUND_RECON_PARSE_THREAD;
    process.env.REFUND_RECON_PARSE_THREAD = 'always';
    try {
      for (const c of cases().slice(0, 3)) {
        expect(await run(c, 'json', false), c.name).toBe(await run(c, 'json', true));
      }
    } finally {
      if (previous === undefined) delete process.env.REFUND_RECON_PARSE_THREAD;
      else process.env.REFUND_RECON_PARSE_THREAD = previous;
    }
  });

  it('bad input names file and line, as the import does', async () => {
    const bad = write(
      'bad-ns.csv',
      `${FLAT_HEADER}netsuite,1,CR1,cashRefund,#1,,,2026-01-01,USD,12.x4,,,,general,,,false,ok,,true,,,,,,,,\n`,
    );
    const good = write(
      'good-sf.csv',
      `${FLAT_HEADER}storefront,1,1,refund,#1,,,2026-01-01,USD,12.34,,,,general,,,false,ok,,true,,,,,,,,\n`,
    );
    const c = { name: 'bad', storefront: [good], netsuite: [bad] };
    const inMemory = await run(c, 'csv', false).catch((e: unknown) => e);
    const inWorkspace = await run(c, 'csv', true).catch((e: unknown) => e);
    expect(inMemory).toBeInstanceOf(Error);
    expect((inMemory as Error).message).toBe((inWorkspace as Error).message);
    expect((inMemory as { location?: unknown }).location).toEqual((inWorkspace as { location?: unknown }).location);
    expect((inMemory as { location?: { line?: number } }).location?.line).toBe(2);
  });
});
