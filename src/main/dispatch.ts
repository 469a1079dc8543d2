import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { type ChannelName, contract, type Result } from '../shared/contract';
import { type AppErrorShape, UserError } from '../shared/errors';
import { boundedParse } from './bounded-parse';
import type { AppContext } from './context';
import { trackLongCall } from './jobs/running';
import { handlers } from './services';
import { isBusyError, workspaceBusyError } from './store/busy';

export function isChannelName(name: string): name is ChannelName {
  return Object.hasOwn(contract, name);
}

/** How many validation issues an answer carries: a huge invalid payload must not get a huge answer. */
export const MAX_VALIDATION_ISSUES = 20;
const MAX_ISSUE_CHARS = 300;

/** `partial`: the issues were read from part of a large payload (bounded-parse.ts): `total` is a lower bound. */
function validationError(
  channel: string,
  error: { issues: readonly z.core.$ZodIssue[] },
  partial = false,
): AppErrorShape {
  const total = error.issues.length;
  // Only the first issues are turned into text (a 1 MiB invalid array has one issue per element).
  const issues = error.issues.slice(0, MAX_VALIDATION_ISSUES).map((issue) => {
    const text = `${issue.path.join('.') || '(input)'}: ${issue.message}`;
    return text.length > MAX_ISSUE_CHARS ? `${text.slice(0, MAX_ISSUE_CHARS)}…` : text;
  });
  const more = total > 5 ? ` (and ${partial ? 'at least ' : ''}${total - 5} more)` : partial ? ' (and maybe more)' : '';
  return {
    code: 'invalid_input',
    message: `The request to ${channel} is not valid: ${issues.slice(0, 5).join('; ')}${more}`,
    details: { issues, total, ...(partial ? { partial } : {}) },
  };
}

/**
 * The transport-independent half of the registration wrapper: parse the untrusted payload with
 * the channel's schema, call the service, check the output against the contract, and turn any
 * failure into `{ ok: false, error }`. Nothing thrown gets past this function.
 */
export async function dispatch(
  channelName: string,
  payload: unknown,
  ctx: AppContext,
  signal: AbortSignal = new AbortController().signal,
): Promise<Result<unknown>> {
  if (!isChannelName(channelName)) {
    return {
      ok: false,
      error: {
        code: 'unknown_channel',
        message: `There is no channel named ${JSON.stringify(channelName).slice(0, 80)}`,
      },
    };
  }
  const spec = contract[channelName];
  // Work bounded by the payload's size, never by its number of problems (issue 17 B1).
  const parsed = boundedParse(spec.input, payload);
  if (!parsed.success) return { ok: false, error: validationError(channelName, parsed, parsed.partial) };
  const endLongCall = trackLongCall(ctx, channelName);
  try {
    const handler = handlers[channelName] as (input: unknown, ctx: AppContext, signal: AbortSignal) => unknown;
    const value = await handler(parsed.data, ctx, signal);
    const checked = spec.output.safeParse(value);
    if (!checked.success) {
      return {
        ok: false,
        error: {
          code: 'internal_error',
          message: `The app produced an invalid answer on ${channelName}; please report this.`,
        },
      };
    }
    return { ok: true, value: checked.data };
  } catch (error) {
    if (error instanceof UserError) return { ok: false, error: error.toShape() };
    // Another connection holds the write lock (the app's own connection does not wait: store/busy.ts).
    if (isBusyError(error)) return { ok: false, error: workspaceBusyError().toShape() };
    if (error instanceof z.ZodError) return { ok: false, error: validationError(channelName, error) };
    // An unexpected error's text (paths, library internals) stays in the main process log; the
    // renderer gets an incident id to quote instead.
    const incident = randomBytes(4).toString('hex');
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`refund-recon: incident ${incident} on ${channelName}: ${detail}\n`);
    return {
      ok: false,
      error: {
        code: 'internal_error',
        message: `Something went wrong on ${channelName} (incident ${incident}). The details are in the app's log; please report it.`,
      },
    };
  } finally {
    endLongCall();
  }
}
