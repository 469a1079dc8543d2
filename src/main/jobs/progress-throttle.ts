import type { ProgressUpdate } from './types';

/**
 * Limits progress messages to one per interval (plus the last one), so a task that reports
 * every row does not flood the IPC channel or the page.
 */
export function throttleProgress(
  send: (update: ProgressUpdate) => void,
  intervalMs = 100,
): (update: ProgressUpdate) => void {
  let last = 0;
  return (update) => {
    const now = Date.now();
    const finished = update.total !== null && update.done >= update.total;
    if (finished || now - last >= intervalMs) {
      last = now;
      send(update);
    }
  };
}
