import { z } from 'zod';

/**
 * Errors a user can meet are values: a stable code, a message that says what to do, and where
 * (file, line, column or field) when the problem is in an input file. Never a stack trace.
 */
export const ErrorLocation = z.object({
  file: z.string().optional(),
  line: z.number().int().optional(),
  column: z.string().optional(),
  field: z.string().optional(),
});
export type ErrorLocation = z.infer<typeof ErrorLocation>;

export const AppErrorShape = z.object({
  code: z.string(),
  message: z.string(),
  location: ErrorLocation.optional(),
  details: z.unknown().optional(),
});
export type AppErrorShape = z.infer<typeof AppErrorShape>;

/** Thrown for problems the user can fix (bad input, refused action). Exit status 2 in the CLI. */
export class UserError extends Error {
  readonly code: string;
  readonly location: ErrorLocation | undefined;
  readonly details: unknown;

  constructor(code: string, message: string, location?: ErrorLocation, details?: unknown) {
    super(message);
    this.name = 'UserError';
    this.code = code;
    this.location = location;
    this.details = details;
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
