// Regenerates the demo files (exports, disputes and order context): node --import tsx scripts/gen-demo.ts
import path from 'node:path';
import { writeDemoFiles } from '../src/main/demo/generate';

const dir = path.resolve(__dirname, '..', 'resources', 'demo');
const written = writeDemoFiles(dir);
process.stdout.write(
  `${Object.values(written)
    .map((f) => `wrote ${f}`)
    .join('\n')}\n`,
);
