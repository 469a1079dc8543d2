import { z } from 'zod';
import { channel } from './define';
import { ResultsQuery } from './run';

/**
 * Report export (issue 7, spec §10): the current run with the review screen's filters and sort, to
 * CSV, XLSX or printable HTML, written atomically into a folder the user chose.
 */
export const ReportFilters = ResultsQuery.omit({ runId: true, offset: true, limit: true });
export type ReportFilters = z.input<typeof ReportFilters>;

export const ReportExportInput = z
  .object({
    runId: z.number().int(),
    filters: ReportFilters.default({ sort: 'severity', direction: 'desc' }),
    format: z.enum(['csv', 'xlsx', 'html']),
    /** An existing folder (absolute path). */
    folder: z.string().min(1).max(4096),
    /** A proposed file name: checked and sanitised; the extension follows the format. */
    fileName: z.string().min(1).max(255),
  })
  .strict();

export const ReportExportOutput = z.object({
  path: z.string(),
  format: z.enum(['csv', 'xlsx', 'html']),
  rows: z.number().int(),
  bytes: z.number().int(),
});

export const reportChannels = {
  'report:export': channel(
    ReportExportInput,
    ReportExportOutput,
    'Export a run (respecting the review filters) to CSV, XLSX or printable HTML; progress as job:progress events',
  ),
};
