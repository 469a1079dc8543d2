import { useState } from 'react';
import type { AppErrorShape } from '../../shared/errors';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { isDesktopApp } from '../lib/desktop';
import { ErrorBanner } from './error-banner';

/**
 * Open a recent workspace, the demo, or create a new one. The app reopens the last one used; every
 * screen reloads for the workspace opened (the shell listens for `workspace:changed`).
 */
export function WorkspaceSwitcher() {
  const api = useApi();
  const recent = useChannel('workspace:recent', {});
  const [path, setPath] = useState('');
  const [error, setError] = useState<AppErrorShape | null>(null);
  const open = async (target: string, create: boolean) => {
    setError(null);
    const result = create
      ? await api.channels['workspace:create']({ path: target })
      : await api.channels['workspace:open']({ path: target });
    if (!result.ok) setError(result.error);
    else recent.reload();
  };
  // Desktop app: a new workspace goes in a folder chosen in the native dialog (paths typed into a
  // window are not trusted there).
  const chooseFolder = async () => {
    setError(null);
    const result = await api.channels['dialog:choose-folder']({});
    if (!result.ok) setError(result.error);
    else if (result.value.path) setPath(`${result.value.path.replace(/[\\/]$/, '')}/refunds.sqlite`);
  };
  // Desktop app: an existing workspace is picked in the native dialog (workspace files only).
  const chooseWorkspace = async () => {
    setError(null);
    const result = await api.channels['dialog:open-file']({ purpose: 'workspace' });
    if (!result.ok) setError(result.error);
    else if (result.value.path) setPath(result.value.path);
  };
  return (
    <section aria-label="Workspaces">
      <h2>Workspaces</h2>
      {recent.status === 'error' && <ErrorBanner error={recent.error} onRetry={recent.reload} />}
      {recent.status === 'ok' && (
        <table className="data" aria-label="Recent workspaces">
          <thead>
            <tr>
              <th>Workspace</th>
              <th>File</th>
              <th>
                <span className="visually-hidden">Open</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {recent.value.map((w) => (
              <tr key={w.path} className={w.current ? 'selected' : ''}>
                <td>
                  {w.name}
                  {w.isDemo && <span className="badge">Demo</span>}
                </td>
                <td className="wrap">
                  <code>{w.path}</code>
                  {!w.exists && <span className="muted"> (missing)</span>}
                </td>
                <td>
                  {w.current ? (
                    <span>Open now</span>
                  ) : (
                    <button type="button" disabled={!w.exists} onClick={() => open(w.path, false)}>
                      Open {w.name}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="row"
        aria-label="Open or create a workspace"
        onSubmit={(e) => {
          e.preventDefault();
          void open(path.trim(), true);
        }}
      >
        <label className="grow">
          Workspace file (full path, ending in .sqlite)
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/Users/me/Refunds/2026.sqlite" />
        </label>
        {isDesktopApp() && (
          <>
            <button type="button" onClick={chooseFolder}>
              Choose a folder…
            </button>
            <button type="button" onClick={chooseWorkspace}>
              Choose a workspace…
            </button>
          </>
        )}
        <button type="submit" className="primary" disabled={!path.trim()}>
          Create a new workspace
        </button>
        <button type="button" disabled={!path.trim()} onClick={() => open(path.trim(), false)}>
          Open this workspace
        </button>
      </form>
      {error && <ErrorBanner error={error} />}
    </section>
  );
}
