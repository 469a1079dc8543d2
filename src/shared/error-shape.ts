import { z } from 'zod';

/** Where in an input a problem is (see errors.ts): file, line, column or field. */
export const ErrorLocation = z.object({
  file: z.string().optional(),
  line: z.number().int().optional(),
  column: z.string().optional(),
  field: z.string().optional(),
});
export type ErrorLocation = z.infer<typeof ErrorLocation>;

/** An error as it crosses the contract: a stable code, a message, where, and details. */
export const AppErrorShape = z.object({
  code: z.string(),
  message: z.string(),
  location: ErrorLocation.optional(),
  details: z.unknown().optional(),
});
export type AppErrorShape = z.infer<typeof AppErrorShape>;
