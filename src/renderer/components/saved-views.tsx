import { useState } from 'react';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { EMPTY_FILTERS, type ReviewFilters, setFilters, setHiddenColumns } from '../lib/review-state';
import { ErrorBanner } from './error-banner';

/** Saved views: the filters, sort and columns of the review under a name. */
export function SavedViews({ filters, hiddenColumns }: { filters: ReviewFilters; hiddenColumns: string[] }) {
  const api = useApi();
  const views = useChannel('view:list', {});
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<Parameters<typeof ErrorBanner>[0]['error'] | null>(null);
  const list = views.status === 'ok' ? views.value : [];
  const save = async () => {
    const result = await api.channels['view:save']({
      name,
      filters: filters as unknown as Record<string, unknown>,
      hiddenColumns,
    });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    setNaming(false);
    setName('');
    views.reload();
  };
  return (
    <span className="saved-views">
      <label>
        View
        <select
          aria-label="Saved view"
          value=""
          onChange={(e) => {
            const view = list.find((v) => String(v.id) === e.target.value);
            if (!view) return;
            setFilters({ ...EMPTY_FILTERS, ...(view.filters as Partial<ReviewFilters>) });
            setHiddenColumns(view.hiddenColumns);
          }}
        >
          <option value="">{list.length ? 'Open a saved view…' : 'No saved views'}</option>
          {list.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </label>
      {naming ? (
        <span className="inline">
          <input
            aria-label="View name"
            placeholder="e.g. Month-end USD"
            value={name}
            // biome-ignore lint/a11y/noAutofocus: the field the user just asked for
            autoFocus
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void save();
              if (e.key === 'Escape') {
                e.stopPropagation();
                setNaming(false);
              }
            }}
          />
          <button type="button" disabled={name.trim() === ''} onClick={() => void save()}>
            Save
          </button>
        </span>
      ) : (
        <button type="button" onClick={() => setNaming(true)}>
          Save view…
        </button>
      )}
      {error && <ErrorBanner error={error} />}
    </span>
  );
}
