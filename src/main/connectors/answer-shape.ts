import { UserError } from '../../shared/errors';
import type { HttpStatusError } from './http-policy';

/**
 * Answers of the wrong shape (issue 17 S2/S3). A pull trusts "nothing to pull" only from a
 * well-formed answer: a 302 to a login page, a 200 `{}` from a proxy, a list where an object was
 * expected are errors that name what was expected — never zero rows, never a TypeError.
 */

/** A short, secret-free description of what came back. */
export function describeAnswer(value: unknown): string {
  if (value === null || value === undefined) return 'an empty body';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object);
    if (keys.length === 0) return 'an empty object {}';
    const shown = keys.slice(0, 5).map((k) => `"${k.slice(0, 40)}"`);
    return `an object with ${shown.join(', ')}${keys.length > 5 ? ', …' : ''}`;
  }
  if (typeof value === 'string') return 'a text';
  return `a ${typeof value}`;
}

/** `<vendor>_bad_answer`: the answer parsed, but is not what the API documents. */
export function wrongShape(prefix: string, vendor: string, what: string, expected: string, got: unknown): UserError {
  return new UserError(
    `${prefix}_bad_answer`,
    `${vendor} answered ${what} with ${describeAnswer(got)}, not ${expected}. Nothing was saved: check that the API address in the connection settings is the ${vendor} API (a proxy, a login page or another server answers this way) and try again.`,
    undefined,
    { expected },
  );
}

/** `<vendor>_redirect`: a 3xx instead of the API (redirects are never followed). */
export function redirectError(prefix: string, vendor: string, what: string, error: HttpStatusError): UserError {
  const to = error.redirectTarget;
  return new UserError(
    `${prefix}_redirect`,
    `${vendor} answered ${what} with a redirect (HTTP ${error.status}${to ? ` to ${to}` : ''}) instead of an API answer. Nothing was saved: the API address in the connection settings points at a login page, a proxy or the wrong host; correct it and try again.`,
    undefined,
    { status: error.status },
  );
}

/** Parses an answer's text; a body that is not JSON is a wrong-shape error, not a SyntaxError. */
export function parseAnswer(prefix: string, vendor: string, what: string, expected: string, text: string): unknown {
  if (text.trim() === '') throw wrongShape(prefix, vendor, what, expected, null);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UserError(
      `${prefix}_bad_answer`,
      `${vendor} answered ${what} with text that is not JSON (${text.length} bytes), not ${expected}. Nothing was saved: check the API address in the connection settings and try again.`,
      undefined,
      { expected },
    );
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
