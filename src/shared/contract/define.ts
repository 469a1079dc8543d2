import { z } from 'zod';
import { AppErrorShape } from '../error-shape';

/** A contract channel: `domain:verb` → validated input and output. */
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** One line for docs and the browser-mode index. */
  summary: string;
}

export function channel<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  summary: string,
): ChannelSpec<I, O> {
  return { input, output, summary };
}

/** What every transport returns: never a thrown error across the boundary. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

export const resultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: AppErrorShape }),
  ]);

export const NoInput = z.object({}).strict();
