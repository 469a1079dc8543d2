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
        // Worker threads are their own entries, found beside the code that starts them
        // (path.join(__dirname, …)): jobs/run-job.ts → worker.js, the NetSuite pull → netsuite-page-fetcher.js.
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          worker: resolve(__dirname, 'src/main/jobs/worker.ts'),
          'netsuite-page-fetcher': resolve(__dirname, 'src/main/connectors/netsuite/page-fetcher-worker.ts'),
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
