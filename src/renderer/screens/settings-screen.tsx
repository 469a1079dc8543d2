import { useChannel } from '../api/use-channel';
import { ComparisonSettings } from '../components/comparison-settings';
import { ErrorBanner } from '../components/error-banner';
import { TenderMappingSettings } from '../components/tender-mapping-settings';
import { WorkspaceSwitcher } from '../components/workspace-switcher';

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
            {info.value.isDemo ? ' (the demo workspace: sample data)' : ''}
          </dd>
          <dt>App version</dt>
          <dd className="num">{info.value.appVersion}</dd>
        </dl>
      )}
      <WorkspaceSwitcher />
      <ComparisonSettings />
      <TenderMappingSettings />
      <p className="muted">
        API connections are set for each account under <a href="#/accounts">Accounts &amp; directions</a>; their secrets
        stay in the operating system keychain or the owner-only secrets file, never in the workspace.
      </p>
    </section>
  );
}
