import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 12: the CLI runs the build (bin/refund-recon.js → out/main/cli.js) and loads each command's
 * code only when that command runs, so `refund-recon --help` stays fast (≤ 0.35 s). Timing depends
 * on the machine; what the help loads does not: no schemas, no SQLite, no spreadsheet writer, no
 * HTTP client.
 */

const root = path.resolve(__dirname, '../../..');

function modulesLoadedBy(args: string[]): string[] {
  const script = `
    const Module = require('node:module');
    const load = Module._load;
    const seen = new Set();
    Module._load = function (request, parent, isMain) {
      seen.add(request);
      return load.apply(this, arguments);
    };
    process.argv = [process.argv[0], 'refund-recon', ...${JSON.stringify(args)}];
    process.stdout.write = () => true;
    process.on('exit', () => process.stderr.write(JSON.stringify([...seen])));
    require(${JSON.stringify(path.join(root, 'bin', 'refund-recon.js'))});
  `;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(run.status).toBe(0);
  return JSON.parse(run.stderr) as string[];
}

describe('refund-recon --help', () => {
  it('runs the built CLI and loads no command code', () => {
    const loaded = modulesLoadedBy(['--help']);
    expect(loaded.some((m) => m.endsWith('out/main/cli.js'))).toBe(true);
    for (const heavy of ['exceljs', 'tsx', 'zod', 'better-sqlite3', 'undici']) expect(loaded).not.toContain(heavy);
  });

  it('a command loads what it needs when it runs', () => {
    const loaded = modulesLoadedBy(['import', '--help']);
    expect(loaded).not.toContain('exceljs');
  });

  it("the issue 13 commands' help loads no command code either", () => {
    for (const command of ['account', 'capabilities', 'connection', 'readiness', 'settings', 'workspace']) {
      const loaded = modulesLoadedBy([command, '--help']);
      for (const heavy of ['exceljs', 'zod', 'better-sqlite3', 'undici']) expect(loaded).not.toContain(heavy);
    }
  });
});
