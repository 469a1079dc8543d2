import { z } from 'zod';

/** Events pushed from main to the renderer (IPC `webContents.send`, browser mode: server-sent events). */
export const JobProgress = z.object({
  jobId: z.string(),
  kind: z.string(),
  phase: z.string(),
  done: z.number(),
  total: z.number().nullable(),
  unit: z.enum(['bytes', 'rows', 'refunds', 'requests', 'results']),
  message: z.string().optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const WorkspaceChanged = z.object({ path: z.string(), isDemo: z.boolean() });

export const events = {
  'job:progress': JobProgress,
  /** Another workspace was opened: screens drop what they showed and read again. */
  'workspace:changed': WorkspaceChanged,
};
export type EventName = keyof typeof events;
