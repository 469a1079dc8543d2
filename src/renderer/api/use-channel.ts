import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import { useApi } from './context';

export type ChannelState<T> =
  | { status: 'loading' }
  | { status: 'ok'; value: T }
  | { status: 'error'; error: AppErrorShape };

/**
 * Calls a read channel when the component mounts (and when `key` changes), with `reload()`.
 * Pass a stable `key` (e.g. JSON of the input) rather than a fresh object each render.
 */
export function useChannel<C extends ChannelName>(
  channel: C,
  input: ChannelInput<C>,
  key = '',
): ChannelState<ChannelOutput<C>> & { reload: () => void } {
  const api = useApi();
  const [state, setState] = useState<ChannelState<ChannelOutput<C>>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const lastKey = useRef<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: input is represented by key
  useEffect(() => {
    let live = true;
    // A reload of the same input keeps showing the current value until the new one arrives.
    if (lastKey.current !== key) setState({ status: 'loading' });
    lastKey.current = key;
    api.channels[channel](input).then((result) => {
      if (!live) return;
      setState(result.ok ? { status: 'ok', value: result.value } : { status: 'error', error: result.error });
    });
    return () => {
      live = false;
    };
  }, [api, channel, key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
