import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemorySecretStore, setSecretStore } from '../../../src/main/secrets';
import { EventHub } from '../../../src/main/serve/event-hub';
import { type RunningServer, startServer } from '../../../src/main/serve/server';
import { CHANNEL_NAMES, contract } from '../../../src/shared/contract';
import { MARK, markedString, payloadFor, type SeededWorkspace, seededWorkspace } from './helpers';

vi.mock('../../../src/main/jobs/run-job', async () => {
  const { UserError } = await import('../../../src/shared/errors');
  return {
    runJob: async (_ctx: unknown, name: string) => {
      throw new UserError('job_not_started', `fuzz: the ${name} job is not started in this test`);
    },
  };
});

const TOKEN = 'security-fuzz-token-0123456789abcdefghijkl';
let ws: SeededWorkspace;
let server: RunningServer;
let rendererDir: string;
// Browser mode runs one request at a time per connection here; a keep-alive agent keeps it fast.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  setSecretStore(new MemorySecretStore());
  ws = await seededWorkspace();
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-fuzz-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  server = await startServer({ ctx: ws.ctx, hub: new EventHub(), rendererDir, port: 0, token: TOKEN });
}, 60_000);
afterAll(async () => {
  agent.destroy();
  await server?.close();
  ws?.close();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

function post(pathname: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: pathname,
        agent,
        headers: {
          host: `127.0.0.1:${server.port}`,
          'content-type': 'application/json',
          'x-refund-recon-token': TOKEN,
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('browser-mode HTTP fuzzing: every contract channel over real HTTP on 127.0.0.1', () => {
  it.each(CHANNEL_NAMES)(
    '%s: never 500, invalid payloads are 400 invalid_input, no payload in SQL',
    async (channel) => {
      const schema = contract[channel].input;
      await fc.assert(
        fc.asyncProperty(payloadFor(schema), async (payload) => {
          ws.sql.length = 0;
          const body = JSON.stringify(payload) ?? '';
          const reply = await post(`/api/${encodeURIComponent(channel)}`, body);
          expect(reply.status, reply.text).not.toBe(500);
          const result = JSON.parse(reply.text) as { ok: boolean; error?: { code: string } };
          // What arrives is the JSON text: `undefined` members vanish, an empty body means {}.
          const sent = body === '' ? {} : JSON.parse(body);
          if (!schema.safeParse(sent).success) {
            expect(reply.status).toBe(400);
            expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
          }
          for (const text of ws.sql) expect(text.includes(MARK), `payload text inside SQL: ${text}`).toBe(false);
        }),
        { numRuns: 25, seed: 4242 ^ channel.length },
      );
    },
  );

  it('malformed bodies are 400, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CHANNEL_NAMES),
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
          fc.constantFrom('{', '[', '{"a":', 'nul', '\u0000', '{"__proto__":{"x":1}}', '1e999999', '"\\ud800"'),
        ),
        async (channel, body) => {
          const reply = await post(`/api/${channel}`, body);
          expect(reply.status, reply.text).not.toBe(500);
          expect([200, 400, 422]).toContain(reply.status);
        },
      ),
      { numRuns: 80, seed: 77 },
    );
  });

  it('unknown and hostile channel names are 404 or 400, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          markedString,
          fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '%E0%A4%A', '..%2f..%2fetc', ''),
        ),
        async (name) => {
          const encoded = /%/.test(name) ? name : encodeURIComponent(name);
          const reply = await post(`/api/${encoded}`, '{}');
          expect(reply.status, `${name} → ${reply.text}`).not.toBe(500);
          expect([400, 404, 405]).toContain(reply.status);
        },
      ),
      { numRuns: 60, seed: 99 },
    );
  });
});
