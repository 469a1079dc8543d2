#!/usr/bin/env node
// `npm run dev`: browser mode with the renderer hot-reloading. Starts `refund-recon serve` (the
// built main code: the API, the workspace, the jobs) on a free port, then Vite's dev server for
// src/renderer, which proxies /api to it. Open the URL this prints: edits under src/renderer show
// at once; edits under src/main or src/shared need a restart (the CLI rebuilds on start).
// Extra arguments go to serve (e.g. `npm run dev -- --workspace my.sqlite`).

import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { createServer } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const serve = spawn(
  process.execPath,
  [path.join(root, 'bin', 'refund-recon.js'), 'serve', '--no-open', '--port', '0', ...process.argv.slice(2)],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);

/** The page URL serve prints ("Open http://127.0.0.1:<port>/#token=…"). */
const pageUrl = await new Promise((resolve, reject) => {
  let buffered = '';
  serve.stdout.setEncoding('utf8');
  serve.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    buffered += chunk;
    const match = /Open (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(buffered);
    if (match) resolve(new URL(match[1]));
  });
  serve.on('exit', (code) => reject(new Error(`refund-recon serve stopped (exit ${code}) before it was ready.`)));
});

const vite = await createServer({
  configFile: false,
  root: path.join(root, 'src', 'renderer'),
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      // Serve refuses a foreign Host or Origin (docs/browser-mode.md): the proxy speaks as serve's
      // own origin. The token still guards every call.
      '/api': {
        target: pageUrl.origin,
        changeOrigin: true,
        configure: (proxy) => proxy.on('proxyReq', (request) => request.removeHeader('origin')),
      },
    },
  },
});
await vite.listen();
const devUrl = `${vite.resolvedUrls.local[0].replace(/\/$/, '')}/${pageUrl.hash}`;
process.stdout.write(`Renderer with hot reload: open ${devUrl}\n`);

const stop = async () => {
  serve.kill('SIGTERM');
  await vite.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
serve.on('exit', () => void vite.close().then(() => process.exit(1)));
