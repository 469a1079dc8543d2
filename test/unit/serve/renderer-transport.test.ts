import { describe, expect, it } from 'vitest';
import { buildApi, EVENT_NAMES } from '../../../src/preload/api-shape';
import { parseSse } from '../../../src/renderer/api/sse';
import { type TokenHistory, type TokenLocation, type TokenStorage, takeToken } from '../../../src/renderer/api/token';
import { routeFromHash } from '../../../src/renderer/routes';
import { CHANNEL_NAMES } from '../../../src/shared/contract';

function fakeBrowser(hash: string) {
  const store = new Map<string, string>();
  const location: TokenLocation = { hash, pathname: '/', search: '' };
  const replaced: string[] = [];
  const history: TokenHistory = { replaceState: (_s, _t, url) => replaced.push(url) };
  const storage: TokenStorage = {
    getItem: (k) => store.get(k) ?? null,
    setItem: (k, v) => store.set(k, v),
  };
  return { location, history, storage, replaced, store };
}

describe('browser-mode token handling', () => {
  it('takes the token from the fragment, keeps it in sessionStorage and clears the address bar', () => {
    const b = fakeBrowser('#token=abcdefghijklmnopqrstuvwxyz012345');
    expect(takeToken(b.location, b.history, b.storage)).toBe('abcdefghijklmnopqrstuvwxyz012345');
    expect(b.replaced).toEqual(['/#/review']);
    const later = fakeBrowser('#/snapshots');
    later.store.set('refund-recon-token', 'abcdefghijklmnopqrstuvwxyz012345');
    expect(takeToken(later.location, later.history, later.storage)).toBe('abcdefghijklmnopqrstuvwxyz012345');
    expect(later.replaced).toEqual([]);
  });

  it('ignores malformed tokens', () => {
    for (const hash of ['', '#token=', '#token=short', '#token=<script>alert(1)</script>xxxxxxxxxxxx', '#/review']) {
      const b = fakeBrowser(hash);
      expect(takeToken(b.location, b.history, b.storage), hash).toBeNull();
    }
  });
});

describe('api object', () => {
  it('has one named function per contract channel and one subscription per event, nothing generic', () => {
    const sent: [string, unknown][] = [];
    const api = buildApi(
      async (channel, input) => {
        sent.push([channel, input]);
        return { ok: true, value: null };
      },
      () => () => {},
    );
    expect(Object.keys(api).sort()).toEqual(['channels', 'events']);
    expect(Object.keys(api.channels).sort()).toEqual([...CHANNEL_NAMES].sort());
    expect(Object.keys(api.events).sort()).toEqual([...EVENT_NAMES].sort());
    void api.channels['snapshot:list']({ side: 'netsuite' });
    expect(sent).toEqual([['snapshot:list', { side: 'netsuite' }]]);
  });
});

describe('SSE parsing and routes', () => {
  it('splits frames and keeps the unfinished rest', () => {
    const { frames, rest } = parseSse(': connected\n\nevent: job:progress\ndata: {"a":1}\n\nevent: job:pro');
    expect(frames).toEqual([{ event: 'job:progress', data: '{"a":1}' }]);
    expect(rest).toBe('event: job:pro');
  });

  it('maps hashes to screens, anything else to Review', () => {
    expect(routeFromHash('#/snapshots')).toBe('snapshots');
    expect(routeFromHash('#/accounts')).toBe('accounts');
    expect(routeFromHash('#token=abc')).toBe('review');
    expect(routeFromHash('')).toBe('review');
  });
});
