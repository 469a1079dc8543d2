import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Every emulator listens on 127.0.0.1 only: nothing here ever binds a public interface. */
export const LOOPBACK = '127.0.0.1';

export interface EmulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface LoggedRequest {
  at: number;
  method: string;
  path: string;
  query: string;
  status: number;
  /** Fault applied to this request, if any. */
  fault?: string;
  /** Vendor-specific notes (SuiteQL offset, GraphQL operation, cost…). */
  note?: string;
  /** GraphQL: the first root field the document selects (`refundCreate`, `shop`, `orders`…). */
  operation?: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON value, or a raw string body. */
  json?: unknown;
  text?: string;
  note?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function readBody(req: http.IncomingMessage, limit = 20 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function startHttpServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  port = 0,
): Promise<RunningServer> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${LOOPBACK}:${address.port}`,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export function sendReply(res: http.ServerResponse, reply: Reply): void {
  const body = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
  const headers: Record<string, string> = { ...reply.headers };
  if (body !== '' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(reply.status, headers);
  res.end(body);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
