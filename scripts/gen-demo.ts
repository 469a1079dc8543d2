// Regenerates the demo files (exports and order context): node --import tsx scripts/gen-demo.ts
import path from 'node:path';
import { writeDemoFiles } from '../src/main/demo/generate';

const dir = path.resolve(__dirname, '..', 'resources', 'demo');
const written = writeDemoFiles(dir);
process.stdout.write(`wrote ${written.storefront}\nwrote ${written.netsuite}\nwrote ${written.orderContext}\n`);
