import { describe, expect, it } from 'vitest';
import { cliAdvice } from '../../../src/main/cli/advice';
import { importFile } from '../../../src/main/importers/import-file';
import { counts, fixture, memoryDb, tempFile, userErrorText } from './helpers';

const NS_HEADER = 'Internal ID,Type,Date,Document Number,Main Line,Item,Quantity,Amount,Currency\n';

/** Imports and expects a UserError; checks the CLI text names file, line and column/field, and nothing was written. */
async function expectError(
  name: string,
  content: string | Buffer,
  side: 'storefront' | 'netsuite',
  pattern: RegExp,
  opts = {},
) {
  const db = memoryDb();
  const file = tempFile(name, content);
  const { text, error } = await userErrorText(importFile(db, { file, side, ...opts }));
  expect(text).toMatch(pattern);
  expect(text).toContain(name);
  expect(counts(db)).toEqual({ snapshots: 0, refunds: 0, lines: 0 });
  return { text, error };
}

describe('bad input: one clear error naming file, line and column or field; no snapshot', () => {
  it('missing required column', async () => {
    const { text, error } = await expectError(
      'missing.csv',
      'Internal ID,Type,Date,Currency\n1,Cash Refund,1/2/2026,USD\n',
      'netsuite',
      /Missing required column "Amount"/,
    );
    expect(text).toMatch(/missing\.csv, line 1, column Amount/);
    expect(text).toMatch(/map your header names/);
    expect(error.code).toBe('missing_column');
  });

  it('unknown currency', async () => {
    const { text } = await expectError(
      'cur.csv',
      `${NS_HEADER}1,Cash Refund,1/2/2026,CR1,*,,,5.00,Dollarz\n`,
      'netsuite',
      /Unknown currency "Dollarz"/,
    );
    expect(text).toMatch(/cur\.csv, line 2, column Currency/);
  });

  it('malformed amount (expected vs found)', async () => {
    const { text } = await expectError(
      'amt.csv',
      `${NS_HEADER}1,Cash Refund,1/2/2026,CR1,*,,,12.3.4,USD\n`,
      'netsuite',
      /"12\.3\.4" is not a valid USD amount/,
    );
    expect(text).toMatch(/amt\.csv, line 2, column Amount/);
  });

  it('malformed date', async () => {
    const { text } = await expectError(
      'date.csv',
      `${NS_HEADER}1,Cash Refund,13/45/2026,CR1,*,,,5.00,USD\n`,
      'netsuite',
      /not a valid date|Expected/,
    );
    expect(text).toMatch(/date\.csv, line 2, column Date/);
  });

  it('a date that contradicts the assumed M/D order asks to set the date order (the CLI: --date-format)', async () => {
    const rows = `${NS_HEADER}1,Cash Refund,1/2/2026,CR1,*,,,5.00,USD\n`;
    // Past the priming window: thousands of ambiguous rows, then a D/M-only date.
    let body = rows;
    for (let i = 2; i < 6005; i++) body += `${i},Cash Refund,1/2/2026,CR${i},*,,,5.00,USD\n`;
    body += '9999,Cash Refund,25/2/2026,CR9,*,,,5.00,USD\n';
    const { text, error } = await expectError('late-dmy.csv', body, 'netsuite', /date order set to D\/M\/YYYY/);
    expect(text).toMatch(/line 6006, column Date/);
    expect(text).not.toMatch(/--/);
    expect(cliAdvice(error)).toBe('Use --date-format dmy.');
  });

  it('JSON syntax error with position', async () => {
    const { text } = await expectError(
      'bad.json',
      '{"orders":[\n  {"id": 1, "name": "#1", "refunds": []},\n  {"id": 2, "name": }\n]}\n',
      'storefront',
      /JSON syntax error at line 3, column 21: expected a JSON value/,
    );
    expect(text).toMatch(/bad\.json, line 3, column 21/);
  });

  it('JSON syntax error in NDJSON names the line', async () => {
    const { text } = await expectError(
      'bad.ndjson',
      '{"id":1,"name":"#1","refunds":[]}\n{"id":2,"name":"#2","refunds":[}\n',
      'storefront',
      /line 2, column 32/,
    );
    expect(text).toMatch(/expected/);
  });

  it('a truncated JSON file', async () => {
    await expectError(
      'cut.json',
      '{"orders":[{"id":1,"name":"#1","refunds":[{"id":5,"created_at":"2026-01-01',
      'storefront',
      /truncated/,
    );
  });

  it('a truncated NDJSON file (last line cut)', async () => {
    await expectError(
      'cut.ndjson',
      '{"id":1,"name":"#1","refunds":[]}\n{"id":2,"name":"#2","refu',
      'storefront',
      /line 2.*truncated/s,
    );
  });

  it('a CSV with an unbalanced quote', async () => {
    const { text } = await expectError(
      'quote.csv',
      `${NS_HEADER}1,Cash Refund,1/2/2026,"CR1,*,,,5.00,USD\n2,Cash Refund,1/2/2026,CR2,*,,,5.00,USD\n`,
      'netsuite',
      /never closed/,
    );
    expect(text).toMatch(/quote\.csv, line 2/);
  });

  it('an unbalanced quote is named where it opens and where reading stopped (issue 14 defect 7)', async () => {
    // A Memo opened with " on line 141 and never closed; the next quoted field (line 544, a valid
    // line) is where the parser gives up. Both lines are named; the location is where to fix it.
    const header = 'Internal ID,Type,Date,Document Number,Main Line,Item,Quantity,Amount,Currency,Memo\n';
    const row = (n: number, memo: string) => `${n},Cash Refund,1/2/2026,CR${n},*,,,5.00,USD,${memo}\n`;
    let body = '';
    for (let n = 2; n <= 140; n++) body += row(n, 'ok');
    body += row(141, '"Refund for #1001');
    for (let n = 142; n <= 543; n++) body += row(n, 'ok');
    body += row(544, '"Refund, see ""ticket"""');
    const { text, error } = await expectError(
      'memo.csv',
      header + body,
      'netsuite',
      /a quoted field opens at line 141 and is not closed properly; reading stopped at line 544/,
    );
    expect(text).toMatch(/memo\.csv, line 141/);
    expect(error.code).toBe('csv_syntax');
  });

  it('a CSV row cut short names the line and what to do', async () => {
    const { text } = await expectError(
      'short.csv',
      `${NS_HEADER}1,Cash Refund,1/2/2026,CR1,*,,,5.00,USD\n2,Cash Refund,1/2/20`,
      'netsuite',
      /has 3 fields but the header has 9/,
    );
    expect(text).toMatch(/short\.csv, line 3/);
  });

  it('a UTF-16 file without BOM is refused with advice', async () => {
    await expectError(
      'utf16.csv',
      Buffer.from(`${NS_HEADER}1,Cash Refund,1/2/2026,CR1,*,,,5.00,USD\n`, 'utf16le'),
      'netsuite',
      /UTF-16 text without a byte-order mark/,
    );
  });

  it('an empty file', async () => {
    await expectError('empty.csv', '', 'netsuite', /empty/);
    await expectError('blank.json', '   \n\n', 'storefront', /empty/);
  });

  it('a file of the other side', async () => {
    await expectError(
      'ns.csv',
      `${NS_HEADER}1,Cash Refund,1/2/2026,CR1,*,,,5.00,USD\n`,
      'storefront',
      /NetSuite export.*Import it as the NetSuite side/,
    );
    const db = memoryDb();
    const { text } = await userErrorText(importFile(db, { file: fixture('shopify-orders.json'), side: 'netsuite' }));
    expect(text).toMatch(/storefront export.*Import it as the storefront side/);
    expect(counts(db).snapshots).toBe(0);
  });

  it('a non-refund record type', async () => {
    await expectError(
      'type.csv',
      `${NS_HEADER}1,Invoice,1/2/2026,INV1,*,,,5.00,USD\n`,
      'netsuite',
      /Type "Invoice" is not a refund record.*line 2|line 2.*Type "Invoice"/s,
    );
  });

  it('rows of one transaction not together', async () => {
    const body = `${NS_HEADER}1,Cash Refund,1/2/2026,CR1,*,,,5.00,USD\n2,Cash Refund,1/2/2026,CR2,*,,,5.00,USD\n1,Cash Refund,1/2/2026,CR1,,HAT,1,5.00,USD\n`;
    await expectError('unsorted.csv', body, 'netsuite', /line 4.*Sort the saved search/s);
  });

  it('a bad value late in a big file leaves nothing behind (one transaction)', async () => {
    let body = NS_HEADER;
    for (let i = 1; i <= 20000; i++) body += `${i},Cash Refund,1/2/2026,CR${i},*,,,5.00,USD\n`;
    body += '20001,Cash Refund,1/2/2026,CR,*,,,five,USD\n';
    await expectError('late.csv', body, 'netsuite', /line 20002, column Amount/);
  });
});

describe('encodings and line endings', () => {
  const rows = [
    'Internal ID,Type,Date,Amount,Currency',
    '1,Cash Refund,1/2/2026,(5.00),US Dollar',
    '2,Credit Memo,1/3/2026,"1,000.00",EUR',
  ];
  for (const [name, content] of [
    ['bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${rows.join('\n')}\n`)])],
    ['crlf.csv', Buffer.from(`${rows.join('\r\n')}\r\n`)],
    ['utf16le-bom.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${rows.join('\r\n')}\r\n`, 'utf16le')])],
    ['noeol.csv', Buffer.from(rows.join('\n'))],
  ] as const) {
    it(`reads ${name}`, async () => {
      const db = memoryDb();
      const result = await importFile(db, { file: tempFile(name, content), side: 'netsuite' });
      expect(result.format).toBe('saved-search-csv');
      expect(result.refundCount).toBe(2);
      const totals = db.prepare('SELECT total, currency FROM refunds ORDER BY id').all();
      expect(totals).toEqual([
        { total: 500, currency: 'USD' },
        { total: 100000, currency: 'EUR' },
      ]);
    });
  }

  it('quoted fields with embedded newlines keep line numbers right', async () => {
    const body =
      'Internal ID,Type,Date,Amount,Currency,Memo\n1,Cash Refund,1/2/2026,5.00,USD,"two\nlines"\n2,Cash Refund,1/2/2026,oops,USD,x\n';
    const db = memoryDb();
    const { text } = await userErrorText(importFile(db, { file: tempFile('multiline.csv', body), side: 'netsuite' }));
    expect(text).toMatch(/line 4, column Amount/);
  });
});

describe('already imported', () => {
  it('the same file on the same side is noticed, unless allowDuplicate', async () => {
    const db = memoryDb();
    const file = fixture('netsuite-saved-search.csv');
    const first = await importFile(db, { file, side: 'netsuite' });
    expect(first.created).toBe(true);
    expect(first.snapshot.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(first.snapshot.fileName).toBe('netsuite-saved-search.csv');
    const second = await importFile(db, { file, side: 'netsuite' });
    expect(second.created).toBe(false);
    expect(second.alreadyImported?.id).toBe(first.snapshotId);
    expect(counts(db).snapshots).toBe(1);
    const third = await importFile(db, { file, side: 'netsuite', allowDuplicate: true });
    expect(third.created).toBe(true);
    expect(counts(db).snapshots).toBe(2);
  });
});
