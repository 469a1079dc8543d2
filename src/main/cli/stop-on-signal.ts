import { UserError } from '../../shared/errors';

/** How long a cancelled command gets to roll back before the process exits anyway. */
const GRACE_MS = 3000;

/**
 * One SIGINT or SIGTERM always stops the CLI: the first cancels the work through `controller`
 * (an import's transaction rolls back, nothing is saved), and should the work not end by itself
 * within a few seconds (a read the system cannot interrupt), the process exits anyway with the
 * cancellation message and status 2. A second signal is never needed. Returns the undo.
 */
export function stopOnSignal(controller: AbortController, message: string): () => void {
  const onSignal = () => {
    controller.abort(new UserError('cancelled', message));
    const timer = setTimeout(() => {
      process.stderr.write(`refund-recon: ${message}\n`);
      process.exit(2);
    }, GRACE_MS);
    timer.unref(); // a command that ends by itself is not kept alive by the timer
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}
