import path from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path to a file under `root`, or null when the path must be refused: anything that
 * is not a plain, decoded, relative path inside root (`..`, encoded separators, NUL, backslashes,
 * drive letters, dot-files). Shared by browser mode and Electron's app protocol.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  if (typeof urlPath !== 'string' || !urlPath.startsWith('/') || urlPath.length > 1024) return null;
  const pathOnly = urlPath.split(/[?#]/, 1)[0] ?? '';
  // Encoded separators would survive a naive check and be decoded later: refuse them outright.
  if (/%(2f|5c|00)/i.test(pathOnly)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathOnly);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.includes(':')) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const segments = relative.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.startsWith('.'))) return null;
  const resolvedRoot = path.resolve(root);
  const file = path.resolve(resolvedRoot, ...segments);
  if (!file.startsWith(resolvedRoot + path.sep)) return null;
  return file;
}
