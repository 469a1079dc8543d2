import fs from 'node:fs';
import path from 'node:path';

/** out/renderer of this checkout, found by walking up from this file to the app's package.json. */
export function findRendererDir(start: string = __dirname): string {
  let dir = start;
  for (let i = 0; i < 8; i++) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        const name = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name;
        if (name === 'refund-reconciler') return path.join(dir, 'out', 'renderer');
      } catch {
        // not ours; keep walking
      }
    }
    dir = path.dirname(dir);
  }
  return path.resolve('out', 'renderer');
}

export function isRendererBuilt(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'index.html'));
}
