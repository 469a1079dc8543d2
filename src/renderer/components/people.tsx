import { useRef, useState, useSyncExternalStore } from 'react';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { ErrorBanner } from './error-banner';

const KEY = 'refund-recon-author';
const listeners = new Set<() => void>();

/** Who is at the desk: one of the workspace's people, chosen once (kept on this computer). */
export function useCurrentPerson(): string {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => localStorage.getItem(KEY) ?? '',
  );
}

export function setCurrentPerson(name: string): void {
  localStorage.setItem(KEY, name);
  for (const l of listeners) l();
}

/** "You are: [person ▾]" with "Add a person…": names come from the workspace, not typed each time. */
export function PersonPicker({ label = 'You are' }: { label?: string }) {
  const api = useApi();
  const people = useChannel('people:list', {});
  const current = useCurrentPerson();
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<Parameters<typeof ErrorBanner>[0]['error'] | null>(null);
  const select = useRef<HTMLSelectElement>(null);
  const list = people.status === 'ok' ? people.value : [];
  const add = async () => {
    const result = await api.channels['people:add']({ name });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    const added = result.value.find((p) => p.name.toLowerCase() === name.trim().replace(/\s+/g, ' ').toLowerCase());
    if (added) setCurrentPerson(added.name);
    setName('');
    setAdding(false);
    people.reload();
    requestAnimationFrame(() => select.current?.focus());
  };
  return (
    <span className="person-picker">
      <label className="inline">
        {label}
        <select
          ref={select}
          value={adding ? '+' : list.some((p) => p.name === current) ? current : ''}
          onChange={(e) => {
            if (e.target.value === '+') setAdding(true);
            else {
              setAdding(false);
              setCurrentPerson(e.target.value);
            }
          }}
        >
          <option value="">Choose…</option>
          {list.map((p) => (
            <option key={p.id} value={p.name}>
              {p.name}
            </option>
          ))}
          <option value="+">Add a person…</option>
        </select>
      </label>
      {adding && (
        <span className="inline add-person">
          <input
            aria-label="New person’s name"
            placeholder="Full name"
            value={name}
            // biome-ignore lint/a11y/noAutofocus: the field the user just asked for
            autoFocus
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void add();
              if (e.key === 'Escape') {
                e.stopPropagation();
                setAdding(false);
                select.current?.focus();
              }
            }}
          />
          <button type="button" onClick={() => void add()} disabled={name.trim() === ''}>
            Add
          </button>
        </span>
      )}
      {error && <ErrorBanner error={error} />}
    </span>
  );
}
