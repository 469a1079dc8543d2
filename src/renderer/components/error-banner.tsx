import type { AppErrorShape } from '../../shared/errors';

export function ErrorBanner({ error, onRetry }: { error: AppErrorShape; onRetry?: () => void }) {
  return (
    <div className="error-banner" role="alert">
      <strong>{error.message}</strong>
      <span className="muted"> ({error.code})</span>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
