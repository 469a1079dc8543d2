import fs from 'node:fs';
import { redactSecrets } from '../../shared/secret-redaction';

/** One line of the request log. Never holds headers or bodies: those carry credentials. */
export interface RequestLogEntry {
  at: string;
  account: string;
  method: string;
  /** Query parameters whose names look like credentials are replaced by `***`. */
  url: string;
  attempt: number;
  status: number | null;
  durationMs: number;
  outcome: 'ok' | 'retry' | 'error';
  reason?: string;
  label?: string;
}

export interface RequestLog {
  write(entry: RequestLogEntry): void;
}

export class MemoryRequestLog implements RequestLog {
  readonly entries: RequestLogEntry[] = [];
  write(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }
}

/** Appends JSON lines to a file created owner-only (0600). */
export class FileRequestLog implements RequestLog {
  readonly #fd: number;
  constructor(file: string) {
    this.#fd = fs.openSync(file, 'a', 0o600);
  }
  write(entry: RequestLogEntry): void {
    fs.writeSync(this.#fd, `${JSON.stringify(entry)}\n`);
  }
  close(): void {
    fs.closeSync(this.#fd);
  }
}

export const nullRequestLog: RequestLog = { write: () => {} };

const SECRET_PARAM = /secret|token|key|signature|password|assertion|auth|code_verifier|nonce/i;

/** Removes credentials from a URL: userinfo and credential-like query parameters. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '<unparseable url>';
  }
  if (url.username || url.password) {
    url.username = '***';
    url.password = '';
  }
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) url.searchParams.set(name, '***');
  }
  return url.toString().replace(/%2A%2A%2A/g, '***');
}

/**
 * Replaces every occurrence of the given secret values (length ≥ 4), and of their base64 and
 * URL-encoded forms, in a text by `***` (shared/secret-redaction.ts).
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return redactSecrets(text, secrets);
}
