import type { JobProgress } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import { ErrorBanner } from './error-banner';
import { ProgressBar } from './progress';

/** A pull's progress with its Cancel button, then its error or its outcome: one look for every pull panel. */
export function PullStatus({
  busy,
  progress,
  cancel,
  error,
  done,
}: {
  busy: boolean;
  progress: JobProgress | null;
  cancel: (() => void) | null;
  error: AppErrorShape | null;
  done: string | null;
}) {
  return (
    <>
      {busy && (
        <div className="row">
          <ProgressBar label="Pull progress" progress={progress} />
          {cancel && (
            <button type="button" onClick={cancel}>
              Cancel pull
            </button>
          )}
        </div>
      )}
      {error && <ErrorBanner error={error} />}
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
    </>
  );
}
