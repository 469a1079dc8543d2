import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workspaceOnUse } from '../../../src/main/cli/workspace-on-use';
import { openWorkspace } from '../../../src/main/store/open';

/** The CLI one-shot's temporary workspace is created on first use only (issue 15). */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-on-use-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('workspaceOnUse', () => {
  it('creates nothing until db is read, then opens once', () => {
    const file = path.join(tmp, 'w.sqlite');
    let opens = 0;
    const w = workspaceOnUse(file, (f) => {
      opens++;
      return openWorkspace(f);
    });
    expect(w.ctx.workspacePath).toBe(file);
    expect(w.opened).toBe(false);
    expect(fs.existsSync(file)).toBe(false);
    const db = w.ctx.db;
    expect(w.ctx.db).toBe(db);
    expect(opens).toBe(1);
    expect(w.opened).toBe(true);
    expect(fs.existsSync(file)).toBe(true);
    w.close();
    expect(db.open).toBe(false);
  });

  it('closes nothing when never opened', () => {
    const w = workspaceOnUse(path.join(tmp, 'never.sqlite'), () => {
      throw new Error('opened');
    });
    w.close();
    expect(w.opened).toBe(false);
  });
});
