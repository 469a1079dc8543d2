import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { UserError } from '../../shared/errors';
import { writeCsvReport } from './csv';
import { type PrintableOptions, renderPrintableHtml } from './printable';
import type { ReportFormat, ReportInput, ReportWriteOptions } from './report-model';
import { resolveExportPath } from './safe-path';
import { endStream, writeWithBackpressure } from './stream-util';
import { writeXlsxReport } from './xlsx';

/**
 * Writes a report to a file atomically: into a temporary file in the same folder (opened with
 * O_EXCL, so it never follows a planted link), flushed to disk, then renamed over the target. On
 * any error or cancellation the temporary file is removed and the target is left as it was: there
 * is never a half-written export under the final name.
 */

export interface ExportOptions extends ReportWriteOptions, Pick<PrintableOptions, 'maxOpenItems' | 'maxDays'> {}

export interface ExportResult {
  file: string;
  format: ReportFormat;
  rows: number;
  bytes: number;
}

function tempNameFor(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base.slice(0, 60)}.${randomBytes(6).toString('hex')}.partial`);
}

async function writeFormat(
  input: ReportInput,
  format: ReportFormat,
  stream: Writable,
  options: ExportOptions,
): Promise<number> {
  switch (format) {
    case 'csv':
      return (await writeCsvReport(input, stream, options)).rows;
    case 'xlsx':
      return (await writeXlsxReport(input, stream, options)).rows;
    case 'html': {
      const { html, rows } = await renderPrintableHtml(input, options);
      await writeWithBackpressure(stream, html);
      await endStream(stream);
      return rows;
    }
    default:
      throw new Error(`Unknown report format ${String(format)}`);
  }
}

function renameFailure(error: unknown, target: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EPERM' || code === 'EBUSY' || code === 'EACCES') {
    return new UserError(
      'export_target_busy',
      `${target} could not be replaced (${code}): it may be open in Excel or another program, or read-only. Close it, or choose another file name, and export again.`,
      { file: target },
    );
  }
  return error as Error;
}

/**
 * Exports `input` as `format` to `outFile` (an absolute path; use `exportReportTo` or
 * `resolveExportPath` to derive it from a user-chosen folder and name). Resolves with the number of
 * rows and bytes written once the file is in place.
 */
export async function exportReport(
  input: ReportInput,
  format: ReportFormat,
  outFile: string,
  options: ExportOptions = {},
): Promise<ExportResult> {
  if (!path.isAbsolute(outFile)) throw new Error(`exportReport needs an absolute path, got ${outFile}`);
  const temp = tempNameFor(outFile);
  // `wx`: create exclusively (never follows or reuses anything planted under the temp name);
  // `flush`: fsync before close, so the renamed file is on disk, not only in the page cache.
  const fileStream = createWriteStream(temp, { flags: 'wx', flush: true, highWaterMark: 256 * 1024 });
  let created = false;
  // Errors surface through the awaited writes; this listener keeps a late one from crashing the process.
  fileStream.on('error', () => undefined);
  try {
    try {
      await once(fileStream, 'open');
      created = true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR') {
        throw new UserError(
          'export_folder_unwritable',
          `Cannot write in ${path.dirname(outFile)} (${code}). Choose a folder you can write to.`,
          { file: outFile },
        );
      }
      throw error;
    }
    const rows = await writeFormat(input, format, fileStream, options);
    if (!fileStream.closed) await once(fileStream, 'close');
    const bytes = fileStream.bytesWritten;
    try {
      await rename(temp, outFile);
    } catch (error) {
      throw renameFailure(error, outFile);
    }
    return { file: outFile, format, rows, bytes };
  } catch (error) {
    if (!fileStream.destroyed) fileStream.destroy();
    if (!fileStream.closed) await once(fileStream, 'close').catch(() => undefined);
    if (created) await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * The whole export from what the user chose: a folder and a proposed file name. The name is
 * checked and sanitised and the path resolved (see safe-path.ts), then the file is written
 * atomically.
 */
export async function exportReportTo(
  input: ReportInput,
  format: ReportFormat,
  folder: string,
  proposedName: string,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const target = resolveExportPath(folder, proposedName, format);
  return exportReport(input, format, target, options);
}
