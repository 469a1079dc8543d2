import { useEffect, useRef, useState } from 'react';
import { useChannel } from '../api/use-channel';
import { formatCount } from '../lib/format';
import { ErrorBanner } from './error-banner';

/**
 * A file-dialog substitute that works in browser mode too: browse folders through `ui:list-folder`
 * and pick a file (imports) or the folder itself (exports).
 */
export function FolderPicker({
  start,
  pick,
  onPick,
  onClose,
}: {
  start?: string;
  pick: 'file' | 'folder';
  onPick: (path: string) => void;
  onClose: () => void;
}) {
  const [path, setPath] = useState<string | undefined>(start || undefined);
  const [typed, setTyped] = useState('');
  // Esc closes the picker and the focus goes back to what opened it.
  const opener = useRef<Element | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    opener.current = document.activeElement;
    box.current?.querySelector<HTMLElement>('input')?.focus();
  }, []);
  const close = () => {
    onClose();
    (opener.current as HTMLElement | null)?.focus?.();
  };
  // A typed or pasted path: a file (its name has an extension) is picked, a folder is opened.
  const go = () => {
    const value = typed.trim();
    if (!value) return;
    const last = value.split(/[\\/]/).filter(Boolean).pop() ?? '';
    if (pick === 'file' && /\.[A-Za-z0-9]{1,8}$/.test(last)) onPick(value);
    else setPath(value);
  };
  const listing = useChannel('ui:list-folder', path ? { path } : {}, path ?? '');
  const join = (folder: string, name: string) =>
    `${folder.replace(/[\\/]$/, '')}${folder.includes('\\') ? '\\' : '/'}${name}`;
  return (
    <div
      className="picker"
      role="dialog"
      aria-label={pick === 'file' ? 'Choose a file' : 'Choose a folder'}
      ref={box}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          close();
        }
      }}
    >
      <div className="picker-go">
        <label className="grow">
          Type or paste a path
          <input
            value={typed}
            spellCheck={false}
            placeholder={pick === 'file' ? '/home/me/exports/orders.json' : '/home/me/exports'}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') go();
            }}
          />
        </label>
        <button type="button" onClick={go} disabled={typed.trim() === ''}>
          Go
        </button>
      </div>
      {listing.status === 'error' && (
        <>
          <ErrorBanner error={listing.error} />
          <button type="button" onClick={close}>
            Close
          </button>
        </>
      )}
      {listing.status === 'ok' && (
        <>
          <div className="picker-head">
            <code>{listing.value.path}</code>
            {listing.value.parent && (
              <button type="button" onClick={() => setPath(listing.value.parent!)}>
                Up
              </button>
            )}
            {pick === 'folder' && (
              <button type="button" className="primary" onClick={() => onPick(listing.value.path)}>
                Use this folder
              </button>
            )}
            <button type="button" onClick={close}>
              Close
            </button>
          </div>
          <ul className="picker-list">
            {listing.value.entries.map((e) => (
              <li key={e.name}>
                <button
                  type="button"
                  disabled={e.kind === 'file' && pick === 'folder'}
                  onClick={() =>
                    e.kind === 'folder'
                      ? setPath(join(listing.value.path, e.name))
                      : onPick(join(listing.value.path, e.name))
                  }
                >
                  <span aria-hidden="true">{e.kind === 'folder' ? '📁' : '📄'}</span> {e.name}
                </button>
                {e.size !== null && <span className="muted num"> {formatCount(e.size)} bytes</span>}
              </li>
            ))}
          </ul>
          {listing.value.truncated && <p className="muted">Only the first 2,000 entries are listed.</p>}
        </>
      )}
    </div>
  );
}
