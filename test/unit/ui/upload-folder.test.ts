import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { openWorkspace } from '../../../src/main/store/open';

const ctx: AppContext = {
  db: openWorkspace(':memory:'),
  workspacePath: ':memory:',
  isDemo: false,
  appVersion: 'test',
  emit: () => {},
};

describe('ui:upload-chunk staging folder', () => {
  it('stages dropped files in a private, unpredictable folder (not one another local user could pre-create)', async () => {
    // What an attacker could pre-create under the old fixed name:
    const predictable = path.join(os.tmpdir(), `refund-recon-uploads-${process.getuid?.() ?? 'user'}`);
    const result = await dispatch(
      'ui:upload-chunk',
      {
        uploadId: null,
        fileName: 'refunds.csv',
        offset: 0,
        data: Buffer.from('a,b\n1,2\n').toString('base64'),
        done: true,
      },
      ctx,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const staged = (result.value as { path: string | null }).path;
    expect(staged).not.toBeNull();
    expect(staged!.startsWith(predictable + path.sep)).toBe(false);
    const root = path
      .relative(os.tmpdir(), staged!)
      .split(path.sep)
      .find((segment) => segment.startsWith('refund-recon-uploads-'));
    expect(root).toMatch(/^refund-recon-uploads-[A-Za-z0-9]{6}$/);
    expect(fs.statSync(path.join(os.tmpdir(), root!)).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(staged!, 'utf8')).toBe('a,b\n1,2\n');
  });
});
