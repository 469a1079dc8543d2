import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpPolicy, HttpRetryExhaustedError, jsonInspection } from '../../../../src/main/connectors/http-policy';

let server: http.Server;
let base = '';
const hits: Record<string, number> = {};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits[`${req.method} ${req.url}`] = (hits[`${req.method} ${req.url}`] ?? 0) + 1;
    // 2xx with a truncated JSON body, as a dropped proxy or a crashed worker would send.
    res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
    res.end('{"data": {"id": 12, "total');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const policy = () => new HttpPolicy({ account: 'test', maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 });

describe('HTTP policy and an unreadable 2xx answer', () => {
  it('never repeats a non-idempotent POST the server answered 2xx (it may have acted): one request, then an error', async () => {
    const error = await policy()
      .send({ method: 'POST', url: `${base}/refunds`, body: '{}', inspect: jsonInspection })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpRetryExhaustedError);
    expect(hits['POST /refunds']).toBe(1);
  });

  it('retries an idempotent request with an unreadable answer until attempts run out', async () => {
    const error = await policy()
      .send({ method: 'GET', url: `${base}/list`, inspect: jsonInspection })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpRetryExhaustedError);
    expect(hits['GET /list']).toBe(4);
  });

  it('retries a POST marked idempotent (an idempotency key) the same way', async () => {
    await policy()
      .send({ method: 'POST', url: `${base}/keyed`, body: '{}', idempotent: true, inspect: jsonInspection })
      .catch(() => undefined);
    expect(hits['POST /keyed']).toBe(4);
  });
});
