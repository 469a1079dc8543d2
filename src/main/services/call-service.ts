import type { HandlerMap } from './handler';

export const callHandlers: HandlerMap<'call:cancel'> = {
  // Without a call registry (browser mode, CLI) there is nothing to cancel by id.
  'call:cancel': (input, ctx) => ({ cancelled: ctx.calls?.cancel(input.callId) ?? false }),
};
