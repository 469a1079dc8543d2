import type { ChannelName, ChannelOutput, ChannelParsedInput } from '../../shared/contract';
import type { AppContext } from '../context';

/** A service function for one channel: parsed input in, output (validated again by the transport) out. */
export type Handler<C extends ChannelName> = (
  input: ChannelParsedInput<C>,
  ctx: AppContext,
  signal: AbortSignal,
) => ChannelOutput<C> | Promise<ChannelOutput<C>>;

export type HandlerMap<C extends ChannelName> = { [K in C]: Handler<K> };
