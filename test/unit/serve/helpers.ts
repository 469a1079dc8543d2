import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AppContext } from '../../../src/main/context';
import { EventHub } from '../../../src/main/serve/event-hub';
import { type RunningServer, startServer } from '../../../src/main/serve/server';
import { createNetsuiteAccount, createStorefrontAccount } from '../../../src/main/store/accounts';
import { openWorkspace } from '../../../src/main/store/open';

export const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';

export interface Harness {
  server: RunningServer;
  ctx: AppContext;
  hub: EventHub;
  root: string;
  close(): Promise<void>;
}

/** A real server on loopback over an in-memory workspace and a tiny renderer folder. */
export async function startHarness(maxBodyBytes = 4096): Promise<Harness> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-test-'));
  const root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'TOP SECRET');
  const db = openWorkspace(':memory:');
  const ns = createNetsuiteAccount(db, { name: 'NS Test', accountId: '123', environment: 'sandbox' });
  createStorefrontAccount(db, {
    platform: 'shopify',
    name: 'Shop Test',
    lineItemRefunds: 'yes',
    directions: ['storefront_to_netsuite'],
    netsuiteAccountId: ns,
  });
  const hub = new EventHub();
  const ctx: AppContext = { db, workspacePath: ':memory:', isDemo: false, appVersion: '0.0.0-test', emit: hub.emit };
  const server = await startServer({ ctx, hub, rendererDir: root, port: 0, maxBodyBytes, token: TOKEN });
  return {
    server,
    ctx,
    hub,
    root,
    close: async () => {
      await server.close();
      db.close();
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): unknown;
}

/** Raw HTTP so tests control every header, Host included (fetch would not let them). */
export function request(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
        setHost: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export function api(
  port: number,
  channel: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return request(port, {
    method: 'POST',
    path: `/api/${channel}`,
    headers: { 'content-type': 'application/json', 'x-refund-recon-token': TOKEN, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
