/**
 * Errors a user can meet are values: a stable code, a message that says what to do, and where
 * (file, line, column or field) when the problem is in an input file. Never a stack trace.
 *
 * The zod schemas of these shapes live in error-shape.ts (the contract validates with them): this
 * module stays free of zod, so threads that only throw and rebuild errors (the NetSuite fetch
 * thread) do not load it at start-up.
 */
import type { AppErrorShape, ErrorLocation } from './error-shape';
import { redactDeep, redactSecrets } from './secret-redaction';

export type { AppErrorShape, ErrorLocation } from './error-shape';

/** Thrown for problems the user can fix (bad input, refused action). Exit status 2 in the CLI. */
export class UserError extends Error {
  readonly code: string;
  readonly location: ErrorLocation | undefined;
  readonly details: unknown;

  constructor(code: string, message: string, location?: ErrorLocation, details?: unknown) {
    // A known credential (or its base64 / URL-encoded form) a vendor echoed never leaves in an error.
    super(redactSecrets(message));
    this.name = 'UserError';
    this.code = code;
    this.location = location;
    this.details = redactDeep(details);
  }

  toShape(): AppErrorShape {
    return { code: this.code, message: this.message, location: this.location, details: this.details };
  }
}

/** "file.csv, line 12, column Amount: …" — the prefix every input error message starts with. */
export function describeLocation(location: ErrorLocation | undefined): string {
  if (!location) return '';
  const parts: string[] = [];
  if (location.file) parts.push(location.file);
  if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.column) parts.push(`column ${location.column}`);
  if (location.field) parts.push(`field ${location.field}`);
  return parts.join(', ');
}
