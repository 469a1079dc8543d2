import type { Api } from '../../preload/api-shape';
import type { ChannelInput, ChannelName, ChannelOutput, Result } from '../../shared/contract';

/**
 * Calls a long channel (import, pull, export) so that it can be cancelled. In browser mode the
 * request is aborted; the server sees the connection close and aborts the job (its signal), which
 * rolls the job back. In the desktop app the call carries an id and `cancel` sends `call:cancel`,
 * which aborts the same call in main (IPC itself cannot be aborted).
 */
export function callCancellable<C extends ChannelName>(
  api: Api,
  channel: C,
  input: ChannelInput<C>,
): { result: Promise<Result<ChannelOutput<C>>>; cancel: (() => void) | null } {
  if (window.api) {
    // Desktop app: IPC cannot be aborted, so the call carries an id that `call:cancel` can stop.
    const callId = crypto.randomUUID();
    const call = api.channels[channel] as (
      i: ChannelInput<C>,
      o: { callId: string },
    ) => Promise<Result<ChannelOutput<C>>>;
    return {
      result: call(input, { callId }),
      cancel: () => {
        void api.channels['call:cancel']({ callId });
      },
    };
  }
  const token = sessionStorage.getItem('refund-recon-token');
  if (!token) return { result: api.channels[channel](input), cancel: null };
  const controller = new AbortController();
  const result = (async (): Promise<Result<ChannelOutput<C>>> => {
    try {
      const response = await fetch(`/api/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-refund-recon-token': token },
        body: JSON.stringify(input ?? {}),
        cache: 'no-store',
        signal: controller.signal,
      });
      return (await response.json()) as Result<ChannelOutput<C>>;
    } catch (error) {
      if (controller.signal.aborted) {
        return { ok: false, error: { code: 'cancelled', message: 'Cancelled: nothing was saved.' } };
      }
      return {
        ok: false,
        error: { code: 'transport_error', message: `Browser mode did not answer (${String(error)})` },
      };
    }
  })();
  return { result, cancel: () => controller.abort() };
}
