import type { JobProgress } from '../../shared/contract';

/**
 * A job waiting for a busy workspace (another import or compare is writing) says why nothing
 * moves, as a sentence of its own; null for any other progress.
 */
export function waitingText(progress: JobProgress | null): string | null {
  if (progress?.phase !== 'waiting' || !progress.message) return null;
  return progress.message.charAt(0).toUpperCase() + progress.message.slice(1);
}
