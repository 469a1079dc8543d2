import { type Api, buildApi, EVENT_NAMES } from '../../preload/api-shape';
import type { EventName, Result } from '../../shared/contract';
import { parseSse } from './sse';

const TOKEN_HEADER = 'x-refund-recon-token';

function transportError(message: string): Result<never> {
  return { ok: false, error: { code: 'transport_error', message } };
}

function isResult(value: unknown): value is Result<unknown> {
  return typeof value === 'object' && value !== null && 'ok' in value && typeof value.ok === 'boolean';
}

/** Browser mode: each channel is `POST /api/<channel>`; events come from `GET /api/events` (SSE over fetch). */
export function createHttpApi(token: string): Api {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let streaming = false;

  async function stream(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch('/api/events', { headers: { [TOKEN_HEADER]: token }, cache: 'no-store' });
        if (!response.ok || !response.body) throw new Error(`status ${response.status}`);
        attempt = 0;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = parseSse(buffer + value);
          buffer = parsed.rest;
          for (const frame of parsed.frames) {
            if (!(EVENT_NAMES as string[]).includes(frame.event)) continue;
            const payload: unknown = JSON.parse(frame.data);
            for (const listener of listeners.get(frame.event as EventName) ?? []) listener(payload);
          }
        }
      } catch {
        // The server went away or refused: retry with backoff, quietly.
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1_000 * 2 ** attempt)));
    }
  }

  return buildApi(
    async (channel, input) => {
      try {
        const response = await fetch(`/api/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify(input ?? {}),
          cache: 'no-store',
        });
        const body: unknown = await response.json();
        return isResult(body) ? body : transportError(`Unexpected answer from browser mode (HTTP ${response.status}).`);
      } catch (error) {
        return transportError(`Browser mode did not answer: is refund-recon serve still running? (${String(error)})`);
      }
    },
    (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      if (!streaming) {
        streaming = true;
        void stream();
      }
      return () => {
        set.delete(listener);
      };
    },
  );
}
