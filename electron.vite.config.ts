import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { META_CONTENT_SECURITY_POLICY } from './src/main/serve/csp';

/**
 * Writes the app's CSP into the built index.html (Electron's app protocol and browser mode also
 * send it as a header). Build only: the dev server's React refresh preamble is an inline script.
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'refund-recon-csp-meta',
    apply: 'build',
    transformIndexHtml: {
      order: 'pre',
      handler: (html) =>
        html.replace(
          '<head>',
          `<head>\n    <meta http-equiv="Content-Security-Policy" content="${META_CONTENT_SECURITY_POLICY}" />`,
        ),
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        // The CLI (bin/refund-recon.js loads out/main/cli.js; browser mode is its `serve` command) and
        // the worker threads are entries of their own; workers are found beside the code that starts
        // them (src/main/built-entry.ts): worker.js for jobs, netsuite-page-fetcher.js for the NetSuite pull,
        // flat-fast-helper.js for the one-shot flat reconcile's second thread.
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli/main.ts'),
          worker: resolve(__dirname, 'src/main/jobs/worker.ts'),
          'netsuite-page-fetcher': resolve(__dirname, 'src/main/connectors/netsuite/page-fetcher-worker.ts'),
          'flat-fast-helper': resolve(__dirname, 'src/main/reconcile/flat-fast/helper-worker.ts'),
        },
        // Shared chunks go beside the entries, not into chunks/: __dirname must be out/main everywhere.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads cannot require node_modules: bundle zod and the contract into one CJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    base: './',
    plugins: [react(), contentSecurityPolicyMeta()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
      // No inline data: URLs for scripts; assets stay files served from 'self'.
      assetsInlineLimit: 0,
    },
  },
});
