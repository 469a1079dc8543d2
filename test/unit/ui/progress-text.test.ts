import { describe, expect, it } from 'vitest';
import { BUSY_MESSAGE } from '../../../src/main/store/busy';
import { waitingText } from '../../../src/renderer/components/progress-text';

describe('the progress bar while a job waits for a busy workspace (C1)', () => {
  it('says why nothing moves, in a sentence', () => {
    const waiting = { jobId: 'j', kind: 'import', phase: 'waiting', done: 0, total: 10, unit: 'bytes' as const };
    expect(waitingText({ ...waiting, message: BUSY_MESSAGE })).toBe(
      'The workspace is busy (another import or compare is writing); waiting…',
    );
    expect(waitingText({ ...waiting, phase: 'importing', message: '5 rows' })).toBeNull();
    expect(waitingText(null)).toBeNull();
  });
});
