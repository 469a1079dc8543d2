import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The few spawned-CLI cases of issue 17's hostile inputs (the bulk of the fuzzing runs in-process
 * through importFile: test/unit/importers/hostile-inputs.test.ts). `import` and `reconcile` end with
 * exit 2 and one located message, never exit 70 or a stack trace, and never hang on a pipe.
 */

const ROOT = path.join(__dirname, '..', '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'importers');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'refund-recon.js'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    }),
  );
}

function expectLocatedExit2(result: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/RangeError|SqliteError|TypeError|\n\s+at /);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
}

describe('hostile files through the CLI', () => {
  const workspace = path.join(dir, 'ws.sqlite');

  it('import of deeply nested JSON: exit 2 naming line and column', async () => {
    const file = path.join(dir, 'deep.json');
    fs.writeFileSync(file, `{"orders":[${'['.repeat(5000)}${']'.repeat(5000)}]}`);
    const result = await cli(['import', file, '--side', 'storefront', '--workspace', workspace]);
    expectLocatedExit2(result, /^refund-recon: deep\.json, line 1, column \d+: JSON nested too deeply/);
  }, 60_000);

  it('reconcile with a NUL late in the NetSuite file: exit 2 naming its line', async () => {
    const csv = fs.readFileSync(path.join(FIXTURES, 'netsuite-saved-search.csv'), 'utf8');
    const lines = csv.split('\n');
    lines[3] = `${lines[3]!.slice(0, 10)}\u0000${lines[3]!.slice(10)}`;
    const file = path.join(dir, 'nul.csv');
    fs.writeFileSync(file, lines.join('\n'));
    const result = await cli([
      'reconcile',
      '--storefront',
      path.join(FIXTURES, 'shopify-orders.json'),
      '--netsuite',
      file,
      '--workspace',
      path.join(dir, 'ws2.sqlite'),
    ]);
    expectLocatedExit2(result, /^refund-recon: nul\.csv, line 4: The file contains a NUL byte at line 4/);
  }, 60_000);

  it('import of a named pipe with no writer: exit 2 at once, no hang', async () => {
    const fifo = path.join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const result = await cli(['import', fifo, '--side', 'netsuite', '--workspace', workspace]);
    expectLocatedExit2(result, /^refund-recon: pipe\.csv: Cannot open .*: it is a named pipe, not a file/);
    expect(result.ms).toBeLessThan(20_000);
  }, 60_000);

  it('reconcile with an item mapping that is a pipe: exit 2, no hang', async () => {
    const fifo = path.join(dir, 'mapping.json');
    execFileSync('mkfifo', [fifo]);
    const result = await cli([
      'reconcile',
      '--storefront',
      path.join(FIXTURES, 'shopify-orders.json'),
      '--netsuite',
      path.join(FIXTURES, 'netsuite-saved-search.csv'),
      '--item-mapping',
      fifo,
      '--workspace',
      path.join(dir, 'ws3.sqlite'),
    ]);
    expectLocatedExit2(result, /^refund-recon: mapping\.json: Cannot open .*: it is a named pipe/);
  }, 60_000);
});
