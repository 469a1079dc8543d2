import type { Api } from '../../preload/api-shape';
import type { ChannelInput, ChannelName, ChannelOutput, Result } from '../../shared/contract';

/**
 * Calls a long channel (import, pull, export) so that it can be cancelled. In browser mode the
 * request is aborted; the server sees the connection close and aborts the job (its signal), which
 * rolls the job back. The Electron preload exposes no abort for IPC calls, so there `cancel` is
 * null and the screens hide their Cancel button.
 */
export function callCancellable<C extends ChannelName>(
  api: Api,
  channel: C,
  input: ChannelInput<C>,
): { result: Promise<Result<ChannelOutput<C>>>; cancel: (() => void) | null } {
  const token = window.api ? null : sessionStorage.getItem('refund-recon-token');
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
