import type { AppErrorShape } from '../../shared/errors';

/** Where an error is: `orders.csv, line 12, column Amount` (file shown by its name, full path on hover). */
export function describeLocation(location: AppErrorShape['location']): string | null {
  if (!location) return null;
  const parts: string[] = [];
  if (location.file) parts.push(location.file.split(/[\\/]/).pop() ?? location.file);
  if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.column) parts.push(`column ${location.column}`);
  if (location.field) parts.push(`field ${location.field}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

export function ErrorBanner({ error, onRetry }: { error: AppErrorShape; onRetry?: () => void }) {
  const where = describeLocation(error.location);
  return (
    <div className="error-banner" role="alert">
      {where && (
        <div className="error-where" title={error.location?.file}>
          {where}
        </div>
      )}
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
