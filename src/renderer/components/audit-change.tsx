/**
 * An audit entry's before → after in words (issue 16): each changed field as "field: old → new",
 * the raw JSON only behind a disclosure, wrapped so a long value never widens the page.
 */

function words(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(words).join(', ');
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${words(v)}`)
    .join('; ');
}

function fields(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function AuditChange({ before, after }: { before: unknown; after: unknown }) {
  const b = fields(before);
  const a = fields(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const changes =
    keys.length > 0
      ? keys
          .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
          .map((k) => `${k}: ${words(b[k])} → ${words(a[k])}`)
      : [`${words(before)} → ${words(after)}`];
  return (
    <div className="audit-change">
      {changes.length === 0 ? (
        <span className="muted">no change</span>
      ) : (
        <ul>
          {changes.slice(0, 6).map((c) => (
            <li key={c}>{c.length > 160 ? `${c.slice(0, 157)}…` : c}</li>
          ))}
        </ul>
      )}
      <details>
        <summary>Raw</summary>
        <pre className="json">{JSON.stringify({ before, after }, null, 2)}</pre>
      </details>
    </div>
  );
}
