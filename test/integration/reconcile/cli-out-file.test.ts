import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `reconcile --out F`: the report is written beside F under a temporary name and renamed over F
 * only when the run succeeds (cli/output-file.ts). A folder that does not exist is bad input (exit
 * 2, one message naming the file), never exit 70 with a stack trace; a run that fails on bad input
 * leaves an earlier report of the same name as it was and no temporary file behind.
 */

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-out-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const HEADER =
  'side,id,documentNumber,recordType,orderRef,createdFromType,createdFromRef,date,currency,total,shipping,tax,adjustment,kind,externalId,memo,isTest,status,appliesTo,moneyMoved,presentmentCurrency,presentmentTotal,lineSku,lineDescription,lineQuantity,lineAmount,lineTax,lineRole';
const sfFile = path.join(tmp, 'sf.csv');
const nsFile = path.join(tmp, 'ns.csv');
const badNsFile = path.join(tmp, 'ns-bad.csv');
fs.writeFileSync(
  sfFile,
  `${HEADER}\nstorefront,9001,9001,refund,#1001,,,2025-03-01,USD,12.50,,,,general,,,false,ok,,true,,,,,,,,\n`,
);
fs.writeFileSync(
  nsFile,
  `${HEADER}\nnetsuite,501,CR501,cashRefund,#1001,,,2025-03-02,USD,12.50,,,,general,9001,,false,ok,,true,,,,,,,,\n`,
);
fs.writeFileSync(
  badNsFile,
  `${HEADER}\nnetsuite,501,CR501,cashRefund,#1001,,,2025-03-02,USD,twelve,,,,general,9001,,false,ok,,true,,,,,,,,\n`,
);

function reconcile(netsuite: string, out: string) {
  const run = spawnSync(
    process.execPath,
    [
      path.join(root, 'bin', 'refund-recon.js'),
      'reconcile',
      '--storefront',
      sfFile,
      '--netsuite',
      netsuite,
      '--format',
      'csv',
      '--out',
      out,
    ],
    { encoding: 'utf8' },
  );
  return { status: run.status, stderr: run.stderr };
}

const partials = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith('.partial'));

describe('reconcile --out', () => {
  it('names a missing folder as bad input: exit 2, one message, no stack trace', () => {
    const out = path.join(tmp, 'no-such-folder', 'report.csv');
    const run = reconcile(nsFile, out);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(out);
    expect(run.stderr).toContain('folder does not exist');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('leaves an earlier report as it was when the input is bad', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'keep-'));
    const out = path.join(dir, 'report.csv');
    fs.writeFileSync(out, 'last month,kept\n');
    const run = reconcile(badNsFile, out);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('ns-bad.csv');
    expect(fs.readFileSync(out, 'utf8')).toBe('last month,kept\n');
    expect(partials(dir)).toEqual([]);
  });

  it('replaces the report when the run succeeds, with no temporary file left', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'ok-'));
    const out = path.join(dir, 'report.csv');
    fs.writeFileSync(out, 'last month,replaced\n');
    const run = reconcile(nsFile, out);
    expect(run.status).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^key,code,severity,/);
    expect(text).toContain('sf:9001,matched,');
    expect(partials(dir)).toEqual([]);
  });
});
