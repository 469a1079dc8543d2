import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, startHarness, TOKEN } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

it('streams contract events to a page holding the token, dropping payloads that fail the schema', async () => {
  const port = h.server.port;
  const received = await new Promise<string>((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/api/events', headers: { 'x-refund-recon-token': TOKEN } },
      (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (text.includes(': connected')) {
            h.ctx.emit('job:progress', { jobId: 'bad' } as never);
            h.ctx.emit('job:progress', {
              jobId: 'j1',
              kind: 'import',
              phase: 'parse',
              done: 5,
              total: 10,
              unit: 'rows',
            });
          }
          if (text.includes('"jobId":"j1"')) {
            req.destroy();
            resolve(text);
          }
        });
      },
    );
    req.on('error', reject);
  });
  expect(received).toContain('event: job:progress\ndata: {"jobId":"j1"');
  expect(received).not.toContain('"bad"');
});
