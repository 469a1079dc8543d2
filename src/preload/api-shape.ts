import type { z } from 'zod';
import {
  CHANNEL_NAMES,
  type ChannelInput,
  type ChannelName,
  type ChannelOutput,
  type Result,
} from '../shared/contract';
import { type EventName, events } from '../shared/contract/events';

/**
 * The shape of the one `api` object the renderer sees, whatever the transport: one named
 * function per contract channel and one subscription per event, both built from the contract.
 * Pure (no electron, no DOM, no node): used by the preload and by the browser-mode transport.
 */
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** `callId`: lets `call:cancel` stop this call later (desktop app; browser mode aborts the request). */
export interface CallOptions {
  callId?: string;
}

export type ChannelFunctions = {
  [C in ChannelName]: (input: ChannelInput<C>, options?: CallOptions) => Promise<Result<ChannelOutput<C>>>;
};

export type EventSubscriptions = {
  [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void;
};

export interface Api {
  channels: ChannelFunctions;
  events: EventSubscriptions;
}

export type Send = (channel: ChannelName, input: unknown, options?: CallOptions) => Promise<Result<unknown>>;
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;

export const EVENT_NAMES = Object.keys(events) as EventName[];

/** IPC channel name an event travels on (main `webContents.send` → preload `ipcRenderer.on`). */
export function ipcEventChannel(event: EventName): string {
  return `event:${event}`;
}

export function buildApi(send: Send, subscribe: Subscribe): Api {
  const channels = Object.fromEntries(
    CHANNEL_NAMES.map((name) => [name, (input: unknown, options?: CallOptions) => send(name, input, options)] as const),
  ) as unknown as ChannelFunctions;
  const subscriptions = Object.fromEntries(
    EVENT_NAMES.map((name) => [name, (listener: (payload: unknown) => void) => subscribe(name, listener)] as const),
  ) as unknown as EventSubscriptions;
  return { channels, events: subscriptions };
}
