import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

// The Electron policy modules must be unit-testable without the Electron binary: they may only
// `import type` from electron. The entry (src/main/index.ts) is the one place with runtime imports.
it('src/main/electron/** imports electron for types only', () => {
  const dir = path.resolve('src/main/electron');
  for (const file of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    const runtime = text.split('\n').filter((l) => /from 'electron'/.test(l) && !/^import type /.test(l));
    expect(runtime, file).toEqual([]);
  }
});
