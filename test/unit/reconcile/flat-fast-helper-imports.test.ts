import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The flat reconcile's helper thread starts on the one-shot's critical path (issue 15,
// docs/benchmarks/flat.md, session 11): its entry must load byte-level code only — no zod (the
// model's schemas), no SQLite, no store, importer or engine module beyond the leaf ones it uses.
const root = path.resolve(__dirname, '../../..');
const entry = path.join(root, 'src/main/reconcile/flat-fast/helper-worker.ts');

/** The modules a file loads at run time: value imports and re-exports (type-only ones left out). */
function runtimeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+'([^']+)'/gms)) {
    if (m[2]) continue;
    const names = m[3]!;
    // `import { type A, type B } from …` loads nothing either.
    const braces = /^\{([^}]*)\}$/.exec(names.trim());
    if (braces && braces[1]!.split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '))) continue;
    out.push(m[4]!);
  }
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) out.push(m[1]!);
  return out;
}

function closure(start: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of runtimeImports(file)) {
      if (!spec.startsWith('.')) {
        packages.add(spec);
        continue;
      }
      const base = path.resolve(path.dirname(file), spec);
      const found = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      if (!found) throw new Error(`${path.relative(root, file)}: cannot resolve ${spec}`);
      queue.push(found);
    }
  }
  return { files: [...files].map((f) => path.relative(root, f)).sort(), packages: [...packages].sort() };
}

describe('the flat helper thread loads little', () => {
  it('its entry imports no zod, no SQLite and no store, importer or engine code but the leaf modules', () => {
    const { files, packages } = closure(entry);
    expect(packages.filter((p) => !p.startsWith('node:'))).toEqual([]);
    const allowedOutside = new Set([
      'src/main/importers/canonical-csv-bytes.ts',
      'src/main/importers/canonical-csv-columns.ts',
      'src/main/store/order-key.ts',
      'src/main/reconcile/digit-key.ts',
      'src/main/reconcile/refund-key.ts',
      'src/main/reconcile/refund-key-prefixes.ts',
      'src/main/thread-cpu.ts',
    ]);
    const outside = files.filter(
      (f) => !f.startsWith('src/main/reconcile/flat-fast/') && !f.startsWith('src/shared/') && !allowedOutside.has(f),
    );
    expect(outside).toEqual([]);
    // The shared modules it may load are the zod-free ones.
    expect(files.filter((f) => f.startsWith('src/shared/'))).not.toContain('src/shared/model.ts');
    for (const f of files) expect(fs.readFileSync(path.join(root, f), 'utf8')).not.toMatch(/from 'zod'/);
  });
});
