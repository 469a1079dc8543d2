import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/serve/csp';
import { api, type Harness, request, startHarness, TOKEN } from './helpers';

let h: Harness;
let port: number;
beforeAll(async () => {
  h = await startHarness(4096);
  port = h.server.port;
});
afterAll(() => h.close());

interface ErrorBody {
  ok: false;
  error: { code: string; message: string };
}

describe('browser mode API: access control', () => {
  it('answers a request with the token', async () => {
    const reply = await api(port, 'account:list', {});
    expect(reply.status).toBe(200);
    const body = reply.json() as { ok: true; value: { storefront: { name: string }[] } };
    expect(body.ok).toBe(true);
    expect(body.value.storefront.map((a) => a.name)).toEqual(['Shop Test']);
  });

  it('refuses a request without the token with 403', async () => {
    const reply = await request(port, {
      method: 'POST',
      path: '/api/account:list',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(reply.status).toBe(403);
    expect((reply.json() as ErrorBody).error.code).toBe('forbidden');
  });

  it('refuses a wrong token (same length and other lengths) with 403', async () => {
    const sameLength = `${TOKEN.slice(0, -1)}x`;
    for (const token of [sameLength, 'short', `${TOKEN}extra`, '']) {
      const reply = await api(port, 'account:list', {}, { 'x-refund-recon-token': token });
      expect(reply.status, token).toBe(403);
    }
  });

  it('refuses a foreign Host header (DNS rebinding) with 403, API and static files alike', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      '127.0.0.1',
      `0.0.0.0:${port}`,
      `[::1]:${port}`,
    ]) {
      const apiReply = await api(port, 'account:list', {}, { host });
      expect(apiReply.status, host).toBe(403);
      const page = await request(port, { path: '/', headers: { host } });
      expect(page.status, host).toBe(403);
    }
  });

  it('accepts localhost:<port> as Host', async () => {
    const reply = await api(port, 'workspace:info', {}, { host: `localhost:${port}` });
    expect(reply.status).toBe(200);
  });

  it('refuses a foreign Origin and cross-site fetches even with the token', async () => {
    const foreign = await api(port, 'account:list', {}, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    const otherPort = await api(port, 'account:list', {}, { origin: `http://127.0.0.1:${port + 1}` });
    expect(otherPort.status).toBe(403);
    const crossSite = await api(port, 'account:list', {}, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const same = await api(port, 'account:list', {}, { origin: `http://127.0.0.1:${port}` });
    expect(same.status).toBe(200);
  });

  it('refuses the event stream without the token', async () => {
    const reply = await request(port, { path: '/api/events' });
    expect(reply.status).toBe(403);
  });
});

describe('browser mode API: payloads', () => {
  it('answers an oversized body with 413', async () => {
    const big = JSON.stringify({ side: 'x'.repeat(10_000) });
    const reply = await api(port, 'snapshot:list', big);
    expect(reply.status).toBe(413);
    expect((reply.json() as ErrorBody).error.code).toBe('payload_too_large');
  });

  it('answers an oversized chunked body (no Content-Length) with 413', async () => {
    const reply = await request(port, {
      method: 'POST',
      path: '/api/snapshot:list',
      headers: { 'content-type': 'application/json', 'x-refund-recon-token': TOKEN, 'transfer-encoding': 'chunked' },
      body: Buffer.alloc(20_000, 0x20),
    });
    expect(reply.status).toBe(413);
  });

  it('answers an invalid payload with a validation error, and keeps serving', async () => {
    const reply = await api(port, 'snapshot:list', { side: 'moon', extra: 1 });
    expect(reply.status).toBe(400);
    const body = reply.json() as ErrorBody;
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toMatch(/snapshot:list/);
    const after = await api(port, 'snapshot:list', {});
    expect(after.status).toBe(200);
  });

  it('answers malformed JSON and non-object JSON with a validation error', async () => {
    for (const raw of ['{"side":', 'null', '[1,2]', '"text"', '\u0000']) {
      const reply = await api(port, 'snapshot:list', raw);
      expect(reply.status, raw).toBe(400);
      expect((reply.json() as ErrorBody).error.code).toBe('invalid_input');
    }
  });

  it('treats an empty body as {}', async () => {
    const reply = await api(port, 'workspace:info', '');
    expect(reply.status).toBe(200);
  });

  it('answers an unknown channel with an error', async () => {
    for (const channel of ['nope:nothing', '__proto__', 'constructor', 'toString', '%E0%A4%A']) {
      const reply = await api(port, channel, {});
      expect(reply.status, channel).toBe(404);
      expect((reply.json() as ErrorBody).error.code).toBe('unknown_channel');
    }
  });

  it('refuses other methods and content types', async () => {
    const get = await request(port, { path: '/api/account:list', headers: { 'x-refund-recon-token': TOKEN } });
    expect(get.status).toBe(405);
    const form = await api(port, 'account:list', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
  });
});

describe('browser mode static files', () => {
  it('serves index.html with the CSP and security headers', async () => {
    const reply = await request(port, { path: '/' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/text\/html/);
    expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets', async () => {
    const reply = await request(port, { path: '/assets/app.js' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/javascript/);
  });

  it('refuses path traversal', async () => {
    for (const p of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/..\\..\\secret.txt',
      '//etc/passwd',
      '/%00index.html',
    ]) {
      const reply = await request(port, { path: p });
      expect(reply.status, p).toBe(404);
      expect(reply.text).not.toContain('TOP SECRET');
    }
  });

  it('refuses writes to static paths', async () => {
    const reply = await request(port, { method: 'PUT', path: '/index.html', body: 'x' });
    expect(reply.status).toBe(405);
  });
});
