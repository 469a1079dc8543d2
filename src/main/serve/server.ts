import http from 'node:http';
import type { AppContext } from '../context';
import { handleApi } from './api-route';
import type { EventHub } from './event-hub';
import { checkHost, newToken } from './request-guard';
import { sendError } from './respond';
import { handleStatic } from './static-route';

/** Browser mode listens on loopback only; this is not an option. */
export const SERVE_HOST = '127.0.0.1';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface ServeOptions {
  ctx: AppContext;
  hub: EventHub;
  /** The built renderer: out/renderer. */
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  maxBodyBytes?: number;
  /** Fixed token for tests; a random one per start otherwise. */
  token?: string;
}

export interface RunningServer {
  port: number;
  token: string;
  /** Origin only: http://127.0.0.1:<port>/ */
  origin: string;
  /** What the user opens: the token rides in the fragment, which browsers never send to a server. */
  pageUrl: string;
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let port = 0;
  const server = http.createServer({ requestTimeout: 30_000, headersTimeout: 10_000, maxHeaderSize: 16 * 1024 });

  server.on('request', (req, res) => {
    const pathname = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const work = async () => {
      const refusal = checkHost(req.headers, port);
      if (refusal) return sendError(res, refusal.status, { code: refusal.code, message: refusal.message });
      if (pathname === '/api' || pathname.startsWith('/api/')) {
        return handleApi(req, res, pathname, { ctx: options.ctx, hub: options.hub, token, port, maxBodyBytes });
      }
      return handleStatic(req, res, pathname, options.rendererDir);
    };
    work().catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      sendError(res, 500, { code: 'internal_error', message: `Browser mode could not answer: ${message}` });
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, SERVE_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('browser mode did not get a TCP port');
  port = address.port;
  const origin = `http://${SERVE_HOST}:${port}/`;

  return {
    port,
    token,
    origin,
    pageUrl: `${origin}#token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        options.hub.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
