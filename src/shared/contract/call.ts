import { z } from 'zod';
import { channel } from './define';

/** An id the renderer gives a long call so it can cancel it later (desktop app; browser mode aborts the request). */
export const CallId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'expected 8 to 64 letters, digits or dashes');

export const callChannels = {
  'call:cancel': channel(
    z.object({ callId: CallId }).strict(),
    z.object({ cancelled: z.boolean() }),
    'Cancel a long call (import, pull, compare, export) this window started with that call id: its job stops and rolls back',
  ),
};
