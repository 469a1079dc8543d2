import { useEffect, useState } from 'react';
import type { JobProgress } from '../../shared/contract';
import { useApi } from '../api/context';
import { formatCount } from '../lib/format';
import { waitingText } from './progress-text';

/** Follows `job:progress` events of one kind while `active`; the latest one, or null. */
export function useJobProgress(kind: string, active: boolean): JobProgress | null {
  const api = useApi();
  const [progress, setProgress] = useState<JobProgress | null>(null);
  useEffect(() => {
    if (!active) {
      setProgress(null);
      return;
    }
    return api.events['job:progress']((p) => {
      if (p.kind === kind) setProgress(p);
    });
  }, [api, kind, active]);
  return progress;
}

const UNIT_WORDS: Record<JobProgress['unit'], string> = {
  bytes: 'bytes',
  rows: 'rows',
  refunds: 'refunds',
  requests: 'requests',
  results: 'results',
};

export function ProgressBar({ label, progress }: { label: string; progress: JobProgress | null }) {
  const total = progress?.total ?? null;
  const done = progress?.done ?? 0;
  const pct = total && total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null;
  return (
    <div className="progress" role="status">
      <progress aria-label={label} max={100} value={pct ?? undefined} />
      <span className="muted">
        {progress
          ? (waitingText(progress) ??
            `${progress.phase}: ${formatCount(done)}${total !== null ? ` of ${formatCount(total)}` : ''} ${UNIT_WORDS[progress.unit]}${pct !== null ? ` (${pct}%)` : ''}`)
          : 'Starting…'}
      </span>
    </div>
  );
}
