import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../context';
import { dispatch } from '../dispatch';
import { SECURITY_HEADERS } from './csp';
import type { EventHub } from './event-hub';
import { BodyTooLarge, readBody } from './read-body';
import { checkApiRequest, checkJsonContentType } from './request-guard';
import { sendError, sendResult, statusFor } from './respond';

export interface ApiRouteOptions {
  ctx: AppContext;
  hub: EventHub;
  token: string;
  port: number;
  maxBodyBytes: number;
}

function channelFromPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname.slice('/api/'.length));
  } catch {
    return null;
  }
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false; message: string } {
  const text = body.toString('utf8');
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** `POST /api/<channel>` through dispatch(), and `GET /api/events` (server-sent events). */
export async function handleApi(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  options: ApiRouteOptions,
): Promise<void> {
  const refusal = checkApiRequest(req.headers, options.port, options.token);
  if (refusal) return sendError(res, refusal.status, { code: refusal.code, message: refusal.message });

  if (pathname === '/api/events') {
    if (req.method !== 'GET')
      return sendError(res, 405, { code: 'method_not_allowed', message: 'Use GET for /api/events.' });
    if (!options.hub.attach(res, { ...SECURITY_HEADERS })) {
      sendError(res, 429, { code: 'too_many_listeners', message: 'Too many pages are listening; close some tabs.' });
    }
    return;
  }

  if (req.method !== 'POST') {
    return sendError(
      res,
      405,
      { code: 'method_not_allowed', message: 'Call contract channels with POST.' },
      { Allow: 'POST' },
    );
  }
  const contentType = checkJsonContentType(req.headers);
  if (contentType) return sendError(res, contentType.status, { code: contentType.code, message: contentType.message });
  const channel = channelFromPath(pathname);
  if (channel === null)
    return sendError(res, 404, { code: 'unknown_channel', message: 'The channel name is not valid.' });

  let body: Buffer;
  try {
    body = await readBody(req, options.maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      return sendError(res, 413, { code: 'payload_too_large', message: error.message }, { Connection: 'close' });
    }
    throw error;
  }
  const payload = parseJson(body);
  if (!payload.ok) {
    return sendError(res, 400, {
      code: 'invalid_input',
      message: `The request to ${channel.slice(0, 80)} is not valid JSON: ${payload.message}`,
    });
  }

  // The page going away cancels the work it asked for.
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const result = await dispatch(channel, payload.value, options.ctx, abort.signal);
  sendResult(res, statusFor(result), result);
}
