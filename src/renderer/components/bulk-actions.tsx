import { useState } from 'react';
import type { AnnotationStatus } from '../../shared/contract';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { annotationsChanged, useAnnotationsVersion } from '../lib/desk-events';
import { formatCount } from '../lib/format';
import { ErrorBanner } from './error-banner';
import { useCurrentPerson } from './people';

const STATUS_WORD: Record<AnnotationStatus, string> = {
  explained: 'explained',
  ignored: 'ignored',
  fixed: 'fixed',
  open: 'reopened',
};

/** Annotate or resolve the selected results with one reason: one step, undoable. */
export function BulkBar({ keys, onDone, onClear }: { keys: string[]; onDone: () => void; onClear: () => void }) {
  const api = useApi();
  const person = useCurrentPerson();
  const [status, setStatus] = useState<AnnotationStatus>('explained');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Parameters<typeof ErrorBanner>[0]['error'] | null>(null);
  const apply = async () => {
    setError(null);
    const result = await api.channels['annotation:bulk']({ resultKeys: keys, status, reason, author: person });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setReason('');
    annotationsChanged();
    onDone();
  };
  const needsReason = status === 'explained' || status === 'ignored';
  return (
    <section className="bulk-bar" aria-label="Selected results">
      <strong>{formatCount(keys.length)} selected</strong>
      <label className="inline">
        Mark as
        <select value={status} onChange={(e) => setStatus(e.target.value as AnnotationStatus)}>
          <option value="explained">Explained</option>
          <option value="ignored">Ignored</option>
          <option value="fixed">Fixed</option>
          <option value="open">Open again</option>
        </select>
      </label>
      <label className="inline">
        Reason{needsReason ? '' : ' (optional)'}
        <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="One reason for all of them" />
      </label>
      <button
        type="button"
        className="primary"
        disabled={!person || (needsReason && reason.trim() === '')}
        title={person ? undefined : 'Choose who you are first'}
        onClick={() => void apply()}
      >
        Apply to {formatCount(keys.length)}
      </button>
      <button type="button" onClick={onClear}>
        Clear selection
      </button>
      {error && <ErrorBanner error={error} />}
    </section>
  );
}

/** "Undo": takes back the last annotation step (single or bulk), whoever made it, saying what it was. */
export function UndoLast({ onUndone }: { onUndone: () => void }) {
  const api = useApi();
  const person = useCurrentPerson();
  const version = useAnnotationsVersion();
  const last = useChannel('annotation:last', {}, String(version));
  const [error, setError] = useState<Parameters<typeof ErrorBanner>[0]['error'] | null>(null);
  if (last.status !== 'ok' || last.value === null) return null;
  const step = last.value;
  const undo = async () => {
    const result = await api.channels['annotation:undo']({ batchId: step.batchId, by: person || step.author });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    annotationsChanged();
    onUndone();
  };
  return (
    <span className="undo">
      <button type="button" onClick={() => void undo()}>
        Undo: {formatCount(step.results)} {STATUS_WORD[step.status]} by {step.author}
      </button>
      {error && <ErrorBanner error={error} />}
    </span>
  );
}
