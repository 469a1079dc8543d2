import { useChannel } from '../api/use-channel';
import { ErrorBanner } from '../components/error-banner';

export function SettingsScreen() {
  const info = useChannel('workspace:info', {});
  return (
    <section className="screen">
      <h1>Settings</h1>
      {info.status === 'error' && <ErrorBanner error={info.error} onRetry={info.reload} />}
      {info.status === 'ok' && (
        <dl className="facts">
          <dt>Workspace file</dt>
          <dd>
            <code>{info.value.path}</code>
            {info.value.isDemo ? ' (demo)' : ''}
          </dd>
          <dt>Schema version</dt>
          <dd className="num">{info.value.schemaVersion}</dd>
          <dt>App version</dt>
          <dd className="num">{info.value.appVersion}</dd>
        </dl>
      )}
      <div className="placeholder">
        <p>
          Coming here: tolerances and matching options, API connections for each account (credentials stay in the OS
          keychain, never in the workspace), and opening or creating another workspace.
        </p>
      </div>
    </section>
  );
}
