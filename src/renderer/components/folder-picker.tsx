import { useState } from 'react';
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
  const listing = useChannel('ui:list-folder', path ? { path } : {}, path ?? '');
  const join = (folder: string, name: string) =>
    `${folder.replace(/[\\/]$/, '')}${folder.includes('\\') ? '\\' : '/'}${name}`;
  return (
    <div className="picker" role="dialog" aria-label={pick === 'file' ? 'Choose a file' : 'Choose a folder'}>
      {listing.status === 'error' && <ErrorBanner error={listing.error} />}
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
            <button type="button" onClick={onClose}>
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
