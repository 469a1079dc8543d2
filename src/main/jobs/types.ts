import type { JobProgress } from '../../shared/contract/events';

export type ProgressUpdate = Omit<JobProgress, 'jobId' | 'kind'>;

/** What a task gets: where the workspace is (tasks open their own connection), cancellation, progress. */
export interface JobContext {
  workspacePath: string;
  signal: AbortSignal;
  progress(update: ProgressUpdate): void;
}

/** A long-running piece of work that can run in a worker thread. Input and output must be structured-cloneable. */
export type Task<I, O> = (input: I, ctx: JobContext) => Promise<O>;

/** Messages from the worker to the host. */
export type WorkerMessage =
  | { type: 'progress'; update: ProgressUpdate }
  | { type: 'done'; value: unknown }
  | { type: 'error'; error: { code: string; message: string; location?: unknown; details?: unknown; user: boolean } };
