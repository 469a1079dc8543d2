import { UserError } from '../../../shared/errors';
import { redirectError } from '../answer-shape';
import { HttpConnectionError, HttpRetryExhaustedError, HttpStatusError } from '../http-policy';

/** NetSuite's REST error body (apis.md §1.6). */
export interface NetsuiteErrorDetail {
  detail: string;
  code: string;
  path?: string;
  queryParam?: string;
}

export function parseNetsuiteErrorBody(text: string): { title: string; details: NetsuiteErrorDetail[] } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const raw = Array.isArray(record['o:errorDetails']) ? (record['o:errorDetails'] as unknown[]) : [];
  const details: NetsuiteErrorDetail[] = raw.flatMap((item) => {
    if (!item || typeof item !== 'object') return [];
    const d = item as Record<string, unknown>;
    return [
      {
        detail: typeof d.detail === 'string' ? d.detail : '',
        code: typeof d['o:errorCode'] === 'string' ? (d['o:errorCode'] as string) : '',
        ...(typeof d['o:errorPath'] === 'string' ? { path: d['o:errorPath'] as string } : {}),
        ...(typeof d['o:errorQueryParam'] === 'string' ? { queryParam: d['o:errorQueryParam'] as string } : {}),
      },
    ];
  });
  return { title: typeof record.title === 'string' ? record.title : '', details };
}

const ADVICE: Record<string, string> = {
  INVALID_LOGIN:
    'NetSuite rejected the credentials. Check the account ID (realm), consumer key/secret and token ID/secret, that the token belongs to this account and role, and the Login Audit Trail in NetSuite. Run `refund-recon netsuite sign` to compare signatures.',
  INSUFFICIENT_PERMISSION:
    "The token's role lacks a permission this request needs (for refunds: Transactions > Cash Refund, Credit Memo, Customer Refund, and SuiteAnalytics Workbook for SuiteQL).",
  CONCURRENCY_LIMIT_EXCEEDED:
    "Too many requests at once for this NetSuite account. Lower the connection's concurrency limit (other integrations share the account's limit) and try again.",
  NONEXISTENT_ID: 'The record does not exist in this account (wrong internal ID, record type, or account).',
};

/** Turns any client failure into an error the user can act on; other errors pass through. */
export function netsuiteUserError(error: unknown, what: string): unknown {
  if (error instanceof HttpStatusError && error.isRedirect) return redirectError('netsuite', 'NetSuite', what, error);
  if (error instanceof HttpStatusError) {
    const parsed = parseNetsuiteErrorBody(error.text);
    const first = parsed?.details[0];
    const code = first?.code || `HTTP_${error.status}`;
    const where = first?.path ? ` (field ${first.path})` : first?.queryParam ? ` (parameter ${first.queryParam})` : '';
    const detail = first?.detail || parsed?.title || `HTTP ${error.status}`;
    const advice = ADVICE[code] ?? '';
    return new UserError(
      `netsuite_${code.toLowerCase()}`,
      `NetSuite refused ${what}: ${detail}${where} [${code}, HTTP ${error.status}].${advice ? ` ${advice}` : ''}`,
      first?.path ? { field: first.path } : undefined,
      { status: error.status, code, details: parsed?.details ?? [] },
    );
  }
  if (error instanceof HttpConnectionError) {
    return new UserError(
      'netsuite_unreachable',
      `Could not reach NetSuite for ${what} after ${error.attempts} attempts (${error.causeCode}). Check the network and the REST host setting.`,
    );
  }
  if (error instanceof HttpRetryExhaustedError) {
    return new UserError(
      'netsuite_bad_response',
      `NetSuite kept sending unusable answers for ${what} (${error.reason}) after ${error.attempts} attempts; try again later.`,
    );
  }
  return error;
}
