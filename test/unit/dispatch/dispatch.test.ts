import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { openWorkspace } from '../../../src/main/store/open';

function context(): AppContext {
  return {
    db: openWorkspace(':memory:'),
    workspacePath: ':memory:',
    isDemo: false,
    appVersion: 'test',
    emit: () => {},
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('dispatch', () => {
  it('returns the validated output of a channel', async () => {
    const result = await dispatch('snapshot:list', {}, context());
    expect(result).toEqual({ ok: true, value: [] });
  });

  it('rejects an invalid payload with a validation error naming the field', async () => {
    const result = await dispatch('snapshot:list', { side: 'both' }, context());
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_input');
      expect(result.error.message).toContain('side');
    }
  });

  it('refuses an unknown channel, including prototype names', async () => {
    for (const name of ['nope:nothing', '__proto__', 'constructor', 'toString']) {
      const result = await dispatch(name, {}, context());
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    }
  });

  it('keeps the text of an unexpected error out of the answer and logs it with an incident id', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const ctx = context();
    ctx.db.close(); // any query now throws better-sqlite3's own message
    const result = await dispatch('snapshot:list', {}, ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('internal_error');
      expect(result.error.message).not.toMatch(/database connection/i);
      const incident = /incident ([0-9a-f]{8})/.exec(result.error.message)?.[1];
      expect(incident).toBeDefined();
      expect(writes.join('')).toContain(`incident ${incident}`);
      expect(writes.join('')).toMatch(/database connection/i);
    }
  });
});
