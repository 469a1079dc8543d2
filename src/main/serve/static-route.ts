import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './csp';
import { contentTypeFor, resolveStaticPath } from './static-files';

function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra });
  res.end(text);
}

/** The built renderer (out/renderer), read-only, GET/HEAD only, nothing outside its folder. */
export async function handleStatic(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  rendererDir: string,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return sendText(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
  const file = resolveStaticPath(rendererDir, pathname);
  if (!file) return sendText(res, 404, 'Not found\n');
  let data: Buffer;
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) return sendText(res, 404, 'Not found\n');
    data = await fs.promises.readFile(file);
  } catch {
    return sendText(res, 404, 'Not found\n');
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': contentTypeFor(file),
    'Content-Length': String(data.length),
    'Cache-Control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : data);
}
