import { z } from 'zod';
import { channel } from './define';

/**
 * Small helpers the renderer needs where a desktop app would use native dialogs: listing a folder
 * (to choose an import file or an export folder in browser mode), staging a dropped file's bytes
 * in a temporary file so it can be imported by path, and the aggregates behind the report charts.
 */

export const FolderEntry = z.object({
  name: z.string(),
  kind: z.enum(['file', 'folder']),
  size: z.number().int().nullable(),
});

export const UploadChunkInput = z
  .object({
    /** null for the first chunk; then the id the first answer returned. */
    uploadId: z
      .string()
      .regex(/^[a-f0-9]{32}$/)
      .nullable(),
    fileName: z.string().min(1).max(255),
    /** Where this chunk starts; must equal the bytes received so far. */
    offset: z.number().int().min(0),
    /** At most 512 KiB of bytes, base64 (the browser-mode body limit is 1 MiB). */
    data: z.string().max(700_000),
    done: z.boolean(),
  })
  .strict();

export const RunCharts = z.object({
  runId: z.number().int(),
  byCode: z.record(z.string(), z.number().int()),
  /** Differences (every result that is not `matched`) per day, oldest first. */
  byDay: z.array(z.object({ date: z.string(), count: z.number().int() })),
  /** Sum of absolute differences per currency, exact decimal strings. */
  atStake: z.record(z.string(), z.string()),
});
export type RunCharts = z.infer<typeof RunCharts>;

export const uiChannels = {
  'ui:list-folder': channel(
    z.object({ path: z.string().max(4096).optional() }).strict(),
    z.object({
      path: z.string(),
      parent: z.string().nullable(),
      entries: z.array(FolderEntry),
      truncated: z.boolean(),
    }),
    'List a folder (default: the home folder), for choosing files and export folders in browser mode',
  ),
  'ui:upload-chunk': channel(
    UploadChunkInput,
    z.object({ uploadId: z.string(), path: z.string().nullable(), bytes: z.number().int() }),
    'Stage a dropped file in a temporary file, chunk by chunk; the last chunk returns its path for import',
  ),
  'ui:run-charts': channel(
    z.object({ runId: z.number().int() }).strict(),
    RunCharts,
    'Differences by code and by day, and the amount at stake per currency, of one run',
  ),
};
