import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    exclude: ['**/*.e2e.ts', 'node_modules/**'],
    environment: 'node',
    // Workers and spawned CLIs run built JavaScript (src/main/built-entry.ts): build once first.
    globalSetup: ['test/support/build-once.ts'],
    env: { REFUND_RECON_OUT_DIR: resolve(import.meta.dirname, 'out/main') },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores on the reference machine: more workers only contend.
    maxWorkers: 2,
  },
});
