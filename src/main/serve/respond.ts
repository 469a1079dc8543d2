import type { ServerResponse } from 'node:http';
import type { Result } from '../../shared/contract/define';
import type { AppErrorShape } from '../../shared/errors';
import { SECURITY_HEADERS } from './csp';

/** Every `/api/` answer is a contract `Result` as JSON, whatever the status. */
export function sendResult(
  res: ServerResponse,
  status: number,
  result: Result<unknown>,
  extra: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify(result);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': String(Buffer.byteLength(body)),
    ...extra,
  });
  res.end(body);
}

export function sendError(
  res: ServerResponse,
  status: number,
  error: AppErrorShape,
  extra: Record<string, string> = {},
): void {
  sendResult(res, status, { ok: false, error }, extra);
}

/** HTTP status for a dispatch result: the body carries the detail, the status helps tools and logs. */
export function statusFor(result: Result<unknown>): number {
  if (result.ok) return 200;
  switch (result.error.code) {
    case 'invalid_input':
      return 400;
    case 'unknown_channel':
      return 404;
    case 'workspace_busy':
      return 409; // another import or compare is writing: try again later
    case 'internal_error':
      return 500;
    default:
      return 422;
  }
}
