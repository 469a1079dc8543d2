import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  isWindowsReservedName,
  planExportPath,
  resolveExportPath,
  sanitiseExportName,
} from '../../../src/main/reports/safe-path';
import { UserError } from '../../../src/shared/errors';
import { tempDir } from './helpers';

const tmp = tempDir('reports-path-');
afterAll(tmp.cleanup);

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as UserError).code;
  }
  throw new Error('expected a rejection');
}

describe('sanitiseExportName: hostile names are rejected', () => {
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['..', 'dot-dot'],
    ['.', 'dot'],
    ['...', 'dots'],
    ['../report', 'parent traversal'],
    ['../../etc/passwd', 'deep traversal'],
    ['..\\..\\Windows\\win.ini', 'windows traversal'],
    ['sub/report', 'subfolder'],
    ['sub\\report', 'windows subfolder'],
    ['/etc/passwd', 'posix absolute'],
    ['/tmp/x.csv', 'posix absolute with extension'],
    ['C:\\Windows\\report', 'drive absolute'],
    ['C:report', 'drive relative'],
    ['c:', 'bare drive'],
    ['a:b*c', 'drive-like prefix'],
    ['\\\\server\\share\\report', 'UNC'],
    ['//server/share/report', 'UNC with slashes'],
    ['\\\\?\\C:\\report', 'device namespace'],
    ['\\\\.\\PhysicalDrive0', 'device path'],
    ['report\u0000.csv', 'NUL byte'],
    ['\u0000', 'only NUL'],
    ['CON', 'reserved CON'],
    ['con.csv', 'reserved with extension'],
    ['PRN.xlsx', 'reserved PRN'],
    ['AUX', 'reserved AUX'],
    ['NUL.txt', 'reserved NUL'],
    ['COM1', 'reserved COM1'],
    ['com9.csv', 'reserved COM9'],
    ['LPT1.html', 'reserved LPT1'],
    ['LPT¹', 'reserved superscript'],
    ['CON .csv', 'reserved with trailing space'],
    ['conin$', 'reserved CONIN$'],
    ['CONOUT$.csv', 'reserved CONOUT$'],
    ['???', 'nothing left'],
    ['<>|', 'nothing left'],
  ])('%j (%s)', (name) => {
    expect(rejection(() => sanitiseExportName(name, 'csv'))).toBe('export_name_rejected');
  });
});

describe('sanitiseExportName: names are cleaned and get the right extension', () => {
  it.each([
    ['refund report', 'csv', 'refund report.csv'],
    ['refund report.csv', 'csv', 'refund report.csv'],
    ['refund report.CSV', 'csv', 'refund report.csv'],
    ['refund report.csv', 'xlsx', 'refund report.xlsx'],
    ['refund report.xlsx', 'html', 'refund report.html'],
    ['summary.htm', 'html', 'summary.html'],
    ['run v1.2', 'csv', 'run v1.2.csv'],
    ['payload.exe', 'csv', 'payload.exe.csv'],
    ['report.csv.exe', 'csv', 'report.csv.exe.csv'],
    ['report a:b*c?d"e<f>g|h', 'csv', 'report a_b_c_d_e_f_g_h.csv'],
    ['report:stream', 'xlsx', 'report_stream.xlsx'],
    ['tab\there\nnew', 'csv', 'tab_here_new.csv'],
    ['  .hidden report  ', 'csv', 'hidden report.csv'],
    ['trailing dots...', 'csv', 'trailing dots.csv'],
    ['multiple    spaces', 'csv', 'multiple spaces.csv'],
    ['bidi\u202Egnp.csv', 'csv', 'bidignp.csv'],
    ['zero\u200Bwidth', 'csv', 'zerowidth.csv'],
    ['console', 'csv', 'console.csv'],
    ['COM10', 'csv', 'COM10.csv'],
    ['Acme — Jänner 2026 ✓', 'xlsx', 'Acme — Jänner 2026 ✓.xlsx'],
    ['-rf', 'csv', '-rf.csv'],
  ] as const)('%j as %s → %j', (name, format, expected) => {
    expect(sanitiseExportName(name, format)).toBe(expected);
  });

  it('cuts very long names and keeps the extension', () => {
    const name = sanitiseExportName('x'.repeat(1000), 'xlsx');
    expect(name.endsWith('.xlsx')).toBe(true);
    expect(name.length).toBeLessThanOrEqual(185);
    expect(sanitiseExportName(`${'é'.repeat(179)}😀😀`, 'csv')).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('knows the reserved device names', () => {
    expect(isWindowsReservedName('aux.tar.gz')).toBe(true);
    expect(isWindowsReservedName('auxiliary')).toBe(false);
  });

  it('property: any accepted name is one plain file name directly inside the folder', () => {
    const folder = path.resolve(tmp.dir);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 40 }),
          fc.string({
            unit: fc.constantFrom('.', '/', '\\', ':', 'C', 'o', 'n', ' ', '\u0000', 'a', '?'),
            maxLength: 12,
          }),
        ),
        fc.constantFrom('csv', 'xlsx', 'html' as const),
        (name, format) => {
          let target: string;
          try {
            target = planExportPath(folder, name, format);
          } catch (error) {
            expect(error).toBeInstanceOf(UserError);
            return;
          }
          const base = path.basename(target);
          expect(path.dirname(target)).toBe(folder);
          expect(base.endsWith(`.${format}`)).toBe(true);
          expect(base).not.toMatch(/[\\/<>:"|?*]/);
          expect([...base].some((ch) => ch.charCodeAt(0) < 0x20)).toBe(false);
          expect(base.startsWith('.')).toBe(false);
          expect(isWindowsReservedName(base)).toBe(false);
          expect(path.relative(folder, target)).toBe(base);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('planExportPath', () => {
  it('needs an absolute folder', () => {
    expect(rejection(() => planExportPath('relative/folder', 'r', 'csv'))).toBe('export_folder_rejected');
    expect(rejection(() => planExportPath('', 'r', 'csv'))).toBe('export_folder_rejected');
    expect(rejection(() => planExportPath('/tmp\u0000/x', 'r', 'csv'))).toBe('export_folder_rejected');
  });
  it('joins the sanitised name to the normalised folder', () => {
    expect(planExportPath('/data/exports/../exports/', 'run 1', 'csv')).toBe(path.resolve('/data/exports/run 1.csv'));
  });
});

describe('resolveExportPath on the real file system', () => {
  const root = path.join(tmp.dir, 'fs');
  const chosen = path.join(root, 'chosen');
  const outside = path.join(root, 'outside');
  mkdirSync(chosen, { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(path.join(outside, 'secret.csv'), 'do not overwrite');
  writeFileSync(path.join(chosen, 'existing.csv'), 'old export');
  writeFileSync(path.join(chosen, 'other.csv'), 'old export');
  symlinkSync(path.join(outside, 'secret.csv'), path.join(chosen, 'escape.csv'));
  symlinkSync(path.join(outside, 'missing.csv'), path.join(chosen, 'dangling.csv'));
  symlinkSync(path.join(chosen, 'other.csv'), path.join(chosen, 'inside.csv'));
  symlinkSync(outside, path.join(chosen, 'linkdir.csv'));
  symlinkSync(chosen, path.join(root, 'via-link'));
  mkdirSync(path.join(chosen, 'folder.csv'));

  it('accepts a new file and an existing regular file', () => {
    const real = resolveExportPath(chosen, 'new', 'csv');
    expect(path.dirname(real)).toBe(path.dirname(resolveExportPath(chosen, 'existing', 'csv')));
    expect(path.basename(real)).toBe('new.csv');
  });

  it('resolves a folder reached through a link to its real location', () => {
    const target = resolveExportPath(path.join(root, 'via-link'), 'r', 'csv');
    expect(target).toBe(path.join(resolveExportPath(chosen, 'r', 'csv')));
    expect(target).not.toContain('via-link');
  });

  it.each([
    ['escape', 'a link to a file outside the folder'],
    ['dangling', 'a dangling link outside the folder'],
    ['linkdir', 'a link to a folder outside'],
    ['folder', 'a directory with the export name'],
  ])('rejects %s (%s)', (name) => {
    expect(rejection(() => resolveExportPath(chosen, name, 'csv'))).toBe('export_target_rejected');
  });

  it('accepts a link that stays inside the folder', () => {
    expect(path.basename(resolveExportPath(chosen, 'inside', 'csv'))).toBe('inside.csv');
  });

  it('rejects a folder that does not exist or is a file', () => {
    expect(rejection(() => resolveExportPath(path.join(root, 'nope'), 'r', 'csv'))).toBe('export_folder_missing');
    expect(rejection(() => resolveExportPath(path.join(outside, 'secret.csv'), 'r', 'csv'))).toBe(
      'export_folder_rejected',
    );
  });
});
