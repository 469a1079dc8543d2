import type { ChannelName } from '../../shared/contract';

/**
 * The long calls running against an app context (pull, compare, import, push, dry run, round
 * trip), counted by dispatch, so that switching workspace under them can be refused: they hold
 * the open workspace's connection and would write their result into a file no longer shown.
 */
const LONG: Partial<Record<ChannelName, string>> = {
  'connection:pull': 'pull',
  'connection:pull-account': 'pull',
  'run:compare': 'comparison',
  'snapshot:import': 'import',
  'push:start': 'push',
  'push:resume': 'push',
  'push:retry': 'push',
  'dry-run:start': 'dry run',
  'dry-run:round-trip': 'round trip',
};

const running = new WeakMap<object, Map<string, number>>();

/** Marks a call as running when its channel is a long one; the returned function ends it. */
export function trackLongCall(ctx: object, channel: ChannelName): () => void {
  const what = LONG[channel];
  if (!what) return () => {};
  const counts = running.get(ctx) ?? new Map<string, number>();
  running.set(ctx, counts);
  counts.set(what, (counts.get(what) ?? 0) + 1);
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    const left = (counts.get(what) ?? 1) - 1;
    if (left > 0) counts.set(what, left);
    else counts.delete(what);
  };
}

/** What is running now against this context, in words ("pull", "push"…), empty when idle. */
export function runningLongCalls(ctx: object): string[] {
  return [...(running.get(ctx)?.keys() ?? [])];
}
