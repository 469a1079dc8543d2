import { useState } from 'react';
import type { AuthMethod } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { ErrorBanner } from '../components/error-banner';
import { author } from './author';

const AUTH_LABELS: Record<AuthMethod, string> = {
  tba: 'Token-based authentication (TBA)',
  oauth2: 'OAuth 2.0 client credentials',
  access_token: 'Admin API access token',
  api_token: 'API account access token',
  key_secret: 'REST API key and secret',
};

/**
 * An account's connection: API address, sign-in method, the secrets (typed here, sent once, never
 * shown again: a stored secret reads "set"), and Test connection, answered in words.
 */
export function ConnectionPanel({ type, id, name }: { type: 'netsuite' | 'storefront'; id: number; name: string }) {
  const api = useApi();
  const info = useChannel('connection:get', { type, id }, `${type}-${id}`);
  const [host, setHost] = useState<string | null>(null);
  const [storeHash, setStoreHash] = useState('');
  const [method, setMethod] = useState<AuthMethod | null>(null);
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [answer, setAnswer] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (info.status === 'loading') return <p className="muted">Loading the connection…</p>;
  if (info.status === 'error') {
    return (
      <section aria-label="Connection">
        <h3>Connection</h3>
        <ErrorBanner error={info.error} onRetry={info.reload} />
      </section>
    );
  }
  const c = info.value;
  const authMethod = method ?? c.authMethod;
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(null);
    setAnswer(null);
    const filled = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v.trim() !== ''));
    const result = await api.channels['connection:set']({
      type,
      id,
      ...(host !== null ? { host } : {}),
      ...(method ? { authMethod: method } : {}),
      ...(storeHash.trim() ? { storeHash } : {}),
      secrets: filled,
      actor: author(),
    });
    if (!result.ok) setError(result.error);
    else {
      setSecrets({});
      setHost(null);
      info.reload();
    }
  };
  const test = async () => {
    setBusy(true);
    setError(null);
    setAnswer(null);
    const result = await api.channels['connection:test']({ type, id });
    setBusy(false);
    if (!result.ok) setError(result.error);
    else setAnswer(result.value);
  };
  return (
    <section aria-label={`Connection of ${name}`}>
      <h3>Connection</h3>
      {c.needs && <p className="muted">{c.needs}</p>}
      <form onSubmit={save}>
        <label>
          API address {c.hostIsDefault && <span className="muted">(the default for this account)</span>}
          <input value={host ?? c.host} onChange={(e) => setHost(e.target.value)} spellCheck={false} />
        </label>
        {c.platform === 'bigcommerce' && (
          <label>
            Store hash
            <input value={storeHash || c.storeHash || ''} onChange={(e) => setStoreHash(e.target.value)} />
          </label>
        )}
        {c.authMethods.length > 1 ? (
          <label>
            Sign-in method
            <select value={authMethod ?? ''} onChange={(e) => setMethod(e.target.value as AuthMethod)}>
              {c.authMethods.map((m) => (
                <option key={m} value={m}>
                  {AUTH_LABELS[m]}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <p className="muted">Sign-in: {authMethod ? AUTH_LABELS[authMethod] : 'none'}</p>
        )}
        {c.secrets.map((s) => {
          const inputId = `secret-${type}-${id}-${s.field}`;
          return (
            <div key={s.field}>
              <label htmlFor={inputId}>
                {s.label}{' '}
                <span className={`chip ${s.set ? 'chip-ok' : 'chip-warning'}`}>{s.set ? 'set' : 'not set'}</span>
              </label>
              {s.field === 'privateKey' ? (
                <textarea
                  id={inputId}
                  rows={3}
                  value={secrets[s.field] ?? ''}
                  autoComplete="off"
                  placeholder={s.set ? 'Leave empty to keep the stored key' : ''}
                  onChange={(e) => setSecrets({ ...secrets, [s.field]: e.target.value })}
                />
              ) : (
                <input
                  id={inputId}
                  type="password"
                  autoComplete="off"
                  value={secrets[s.field] ?? ''}
                  placeholder={s.set ? 'Leave empty to keep the stored value' : ''}
                  onChange={(e) => setSecrets({ ...secrets, [s.field]: e.target.value })}
                />
              )}
            </div>
          );
        })}
        <p className="muted">Secrets are kept in {c.store}, never in the workspace.</p>
        <button type="submit" className="primary">
          Save connection
        </button>{' '}
        <button type="button" onClick={test} disabled={busy}>
          {busy ? 'Testing…' : 'Test connection'}
        </button>
      </form>
      {answer && (
        <p className={answer.ok ? 'notice' : 'error-banner'} role="status">
          {answer.message}
        </p>
      )}
      {error && <ErrorBanner error={error} />}
    </section>
  );
}
