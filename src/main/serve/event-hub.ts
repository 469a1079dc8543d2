import type { ServerResponse } from 'node:http';
import type { z } from 'zod';
import { type EventName, events } from '../../shared/contract/events';

export const MAX_EVENT_CLIENTS = 16;

export type Emit = <E extends EventName>(event: E, payload: z.input<(typeof events)[E]>) => void;

/**
 * Server-sent events for browser mode: the page reads `GET /api/events` with fetch (so it can
 * send the token header) and parses `event:` / `data:` frames. Payloads are checked against the
 * contract's event schemas before they leave the process.
 */
export class EventHub {
  private readonly clients = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | undefined;

  readonly emit: Emit = (event, payload) => {
    const parsed = events[event].safeParse(payload);
    if (!parsed.success) return;
    const frame = `event: ${event}\ndata: ${JSON.stringify(parsed.data)}\n\n`;
    for (const client of this.clients) client.write(frame);
  };

  get size(): number {
    return this.clients.size;
  }

  /** Returns false when too many pages are already listening. */
  attach(res: ServerResponse, headers: Record<string, string>): boolean {
    if (this.clients.size >= MAX_EVENT_CLIENTS) return false;
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    if (!this.heartbeat) {
      // Comments keep idle connections (and proxies, if any) from timing out.
      this.heartbeat = setInterval(() => {
        for (const client of this.clients) client.write(': ping\n\n');
      }, 15_000);
      this.heartbeat.unref();
    }
    return true;
  }

  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const client of this.clients) client.end();
    this.clients.clear();
  }
}
