import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportReport, exportReportTo } from '../../../src/main/reports/export-run';
import type { ReportFormat, ReportRow } from '../../../src/main/reports/report-model';
import { UserError } from '../../../src/shared/errors';
import { generatedRows, makeInput, tempDir } from './helpers';

const tmp = tempDir('reports-export-');
afterAll(tmp.cleanup);

let n = 0;
function freshDir(): string {
  const dir = path.join(tmp.dir, `case-${++n}`);
  mkdirSync(dir);
  return dir;
}

/** Rows that fail after `after` rows, and record what the folder held at that moment. */
function* failingRows(after: number, dir: string, seen: string[][]): Generator<ReportRow> {
  let i = 0;
  for (const row of generatedRows(after + 10)) {
    if (i === after) {
      seen.push(readdirSync(dir));
      throw new Error('store went away');
    }
    i++;
    yield row;
  }
}

const FORMATS: ReportFormat[] = ['csv', 'xlsx', 'html'];

describe('exportReport writes atomically', () => {
  it.each(FORMATS)('%s: writes the file under its final name and leaves nothing else', async (format) => {
    const dir = freshDir();
    const file = path.join(dir, `run.${format}`);
    const result = await exportReport(makeInput(generatedRows(1_000)), format, file);
    expect(result).toMatchObject({ file, format, rows: 1_000 });
    expect(result.bytes).toBe(readFileSync(file).length);
    expect(readdirSync(dir)).toEqual([`run.${format}`]);
  });

  it.each(FORMATS)('%s: an error mid-export leaves no file and no temp file', async (format) => {
    const dir = freshDir();
    const seen: string[][] = [];
    const file = path.join(dir, `run.${format}`);
    await expect(exportReport(makeInput(failingRows(700, dir, seen)), format, file)).rejects.toThrow('store went away');
    // While writing, the data went to a hidden temp file in the same folder, never to the target.
    expect(seen[0]).toHaveLength(1);
    expect(seen[0]![0]).toMatch(new RegExp(`^\\.run\\.${format}\\.[0-9a-f]{12}\\.partial$`));
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each(FORMATS)('%s: a failed export keeps the previous file intact', async (format) => {
    const dir = freshDir();
    const file = path.join(dir, `run.${format}`);
    writeFileSync(file, 'previous export');
    await expect(exportReport(makeInput(failingRows(50, dir, [])), format, file)).rejects.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('previous export');
    expect(readdirSync(dir)).toEqual([`run.${format}`]);
  });

  it('replaces an existing export on success', async () => {
    const dir = freshDir();
    const file = path.join(dir, 'run.csv');
    writeFileSync(file, 'previous export');
    await exportReport(makeInput(generatedRows(3)), 'csv', file);
    expect(readFileSync(file, 'utf8')).toContain('Code,Severity');
  });

  it('can be cancelled with an AbortSignal, leaving nothing behind', async () => {
    const dir = freshDir();
    const controller = new AbortController();
    const file = path.join(dir, 'run.xlsx');
    const progress: number[] = [];
    const promise = exportReport(makeInput(generatedRows(50_000)), 'xlsx', file, {
      signal: controller.signal,
      onProgress: (rows) => {
        progress.push(rows);
        if (rows >= 5_000) controller.abort(new Error('cancelled by user'));
      },
    });
    await expect(promise).rejects.toThrow('cancelled by user');
    expect(progress[0]).toBe(5_000);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('says what to do when the folder cannot be written', async () => {
    const file = path.join(tmp.dir, 'no-such-folder', 'run.csv');
    const error = await exportReport(makeInput(generatedRows(1)), 'csv', file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('export_folder_unwritable');
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a relative path (callers resolve the folder first)', async () => {
    await expect(exportReport(makeInput([]), 'csv', 'run.csv')).rejects.toThrow(/absolute path/);
  });
});

describe('exportReportTo: folder + proposed name', () => {
  it('sanitises the name and writes inside the chosen folder', async () => {
    const dir = freshDir();
    const result = await exportReportTo(makeInput(generatedRows(2)), 'xlsx', dir, 'Acme: January?');
    expect(path.basename(result.file)).toBe('Acme_ January_.xlsx');
    expect(readdirSync(dir)).toEqual(['Acme_ January_.xlsx']);
  });

  it.each(['../escape', '/etc/passwd', 'C:\\x', 'CON', 'a\u0000b'])(
    'rejects %j before writing anything',
    async (name) => {
      const dir = freshDir();
      await expect(exportReportTo(makeInput(generatedRows(2)), 'csv', dir, name)).rejects.toBeInstanceOf(UserError);
      expect(readdirSync(dir)).toEqual([]);
      expect(readdirSync(path.dirname(dir)).filter((f) => f.startsWith('escape'))).toEqual([]);
    },
  );
});
