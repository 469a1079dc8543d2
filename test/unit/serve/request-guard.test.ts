import { describe, expect, it } from 'vitest';
import { checkApiRequest, isAllowedHost, isAllowedOrigin, tokenMatches } from '../../../src/main/serve/request-guard';

describe('request guard', () => {
  it.each([
    ['127.0.0.1:4000', true],
    ['localhost:4000', true],
    ['LOCALHOST:4000', true],
    ['127.0.0.1', false],
    ['localhost', false],
    ['127.0.0.1:4001', false],
    ['evil.example:4000', false],
    ['127.0.0.1.evil.example:4000', false],
    ['[::1]:4000', false],
    ['0.0.0.0:4000', false],
    ['', false],
    [undefined, false],
  ])('Host %j allowed: %s', (host, allowed) => {
    expect(isAllowedHost(host, 4000)).toBe(allowed);
  });

  it.each([
    [undefined, true],
    ['http://127.0.0.1:4000', true],
    ['http://localhost:4000', true],
    ['https://127.0.0.1:4000', false],
    ['http://127.0.0.1:4001', false],
    ['http://evil.example', false],
    ['null', false],
    ['http://127.0.0.1:4000.evil.example', false],
  ])('Origin %j allowed: %s', (origin, allowed) => {
    expect(isAllowedOrigin(origin, 4000)).toBe(allowed);
  });

  it('compares tokens exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('ab', 'abc')).toBe(false);
    expect(tokenMatches(['abc'], 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
  });

  it('checks host, origin and token together', () => {
    const ok = { host: '127.0.0.1:4000', 'x-refund-recon-token': 't' };
    expect(checkApiRequest(ok, 4000, 't')).toBeNull();
    expect(checkApiRequest({ ...ok, host: 'evil:4000' }, 4000, 't')?.status).toBe(403);
    expect(checkApiRequest({ ...ok, origin: 'http://evil' }, 4000, 't')?.status).toBe(403);
    expect(checkApiRequest({ host: ok.host }, 4000, 't')?.status).toBe(403);
  });
});
