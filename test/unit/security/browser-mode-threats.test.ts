import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { EventHub } from '../../../src/main/serve/event-hub';
import { newToken } from '../../../src/main/serve/request-guard';
import { DEFAULT_MAX_BODY_BYTES, type RunningServer, SERVE_HOST, startServer } from '../../../src/main/serve/server';
import { openWorkspace } from '../../../src/main/store/open';

/** Browser-mode threat model (docs/security.md): the claims not already proven by test/unit/serve. */
let server: RunningServer;
let root: string;
const db = openWorkspace(':memory:');
const ctx: AppContext = { db, workspacePath: ':memory:', isDemo: false, appVersion: 't', emit: () => {} };

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-threat-'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
  server = await startServer({ ctx, hub: new EventHub(), rendererDir: root, port: 0 });
});
afterAll(async () => {
  await server.close();
  db.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function send(options: http.RequestOptions & { body?: string }) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        setHost: false,
        ...options,
        headers: { host: `127.0.0.1:${server.port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser mode threat model', () => {
  it('listens on loopback only: the hard-coded host, and other interfaces are refused', async () => {
    expect(SERVE_HOST).toBe('127.0.0.1');
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) return; // no non-loopback interface on this machine: nothing else to try
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: external.address, port: server.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused, `reachable on ${external.address}`).toBe(true);
  });

  it('a per-start token of 32 random bytes; each start differs', () => {
    const a = newToken();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(newToken()).not.toBe(a);
    expect(server.pageUrl).toMatch(/\/#token=/);
    expect(server.origin).not.toContain(server.token);
  });

  it('the token is accepted only in its header: not from the query string, a cookie or Basic auth', async () => {
    const t = server.token;
    const base = { method: 'POST', body: '{}' };
    for (const variant of [
      { path: `/api/workspace:info?token=${t}`, headers: { 'content-type': 'application/json' } },
      { path: '/api/workspace:info', headers: { 'content-type': 'application/json', cookie: `token=${t}` } },
      {
        path: '/api/workspace:info',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` },
      },
    ]) {
      expect((await send({ ...base, ...variant })).status, variant.path).toBe(403);
    }
  });

  it('pages and API answers never carry the token or set a cookie', async () => {
    const page = await send({ method: 'GET', path: '/' });
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(server.token);
    expect(page.headers['set-cookie']).toBeUndefined();
    const api = await send({
      method: 'POST',
      path: '/api/workspace:info',
      body: '{}',
      headers: { 'content-type': 'application/json', 'x-refund-recon-token': server.token },
    });
    expect(api.status).toBe(200);
    expect(api.text).not.toContain(server.token);
    expect(api.headers['set-cookie']).toBeUndefined();
  });

  it('CSRF: a cross-site form (text/plain, urlencoded, multipart) is refused even with a guessed token', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await send({
        method: 'POST',
        path: '/api/annotation:set',
        body: 'a=b',
        headers: { 'content-type': type, 'x-refund-recon-token': server.token },
      });
      expect(r.status, type).toBe(415);
    }
  });

  it('CORS: a preflight is never approved, and no answer carries Access-Control-Allow-* headers', async () => {
    const preflight = await send({
      method: 'OPTIONS',
      path: '/api/workspace:info',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-refund-recon-token,content-type',
      },
    });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    const all = { ...preflight.headers };
    expect(Object.keys(all).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('body limit: 1 MiB by default, refused from the declared length before the body is read', async () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(1024 * 1024);
    const r = await send({
      method: 'POST',
      path: '/api/workspace:info',
      headers: {
        'content-type': 'application/json',
        'x-refund-recon-token': server.token,
        'content-length': String(DEFAULT_MAX_BODY_BYTES + 1),
      },
    });
    expect(r.status).toBe(413);
  });

  it('without the token nothing is revealed: not the channel list, not whether a channel exists', async () => {
    const known = await send({
      method: 'POST',
      path: '/api/workspace:info',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    const unknown = await send({
      method: 'POST',
      path: '/api/nope:nope',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(known.status).toBe(403);
    expect(unknown.status).toBe(403);
    expect(known.text.replace('workspace:info', '')).toBe(unknown.text.replace('nope:nope', ''));
  });
});
