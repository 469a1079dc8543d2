import fs from 'node:fs';
import { readFileBytesInBackground } from './early-bytes';
import { FlatHelper } from './helper-thread';

/** Storefront files at least this large are read on the helper thread (as reconcile-files.ts does). */
export const THREAD_MIN_BYTES = 8 * 1024 * 1024;

/**
 * Whether the flat fast path puts the storefront file on its helper thread: a large file, or
 * REFUND_RECON_PARSE_THREAD (always / never), which decides here too as for an import.
 */
export function helperWanted(storefrontFile: string): boolean {
  const mode = process.env.REFUND_RECON_PARSE_THREAD;
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  try {
    return fs.statSync(storefrontFile).size >= THREAD_MIN_BYTES;
  } catch {
    return false;
  }
}

/**
 * The flat fast path's helper thread, started by the CLI before it loads its own modules and
 * already reading and scanning the storefront file (`FlatHelper.read`): its start-up and the read
 * overlap the main thread's module loading (issue 15). The NetSuite file's bytes are read
 * meanwhile on libuv's thread pool (`FlatHelper.prefetched`), so the main thread finds them read
 * once its modules are loaded. Null when the fast path is off or would not use a helper. The
 * caller stops it when the fast path does not take the files (reconcile-flat-fast.ts adopts it
 * when it does, and stops it when done).
 */
export function startEarlyHelper(storefrontFile: string, netsuiteFile?: string): FlatHelper | null {
  if (process.env.REFUND_RECON_FLAT_FAST === '0' || !helperWanted(storefrontFile)) return null;
  const helper = new FlatHelper('storefront');
  helper.read(storefrontFile);
  if (netsuiteFile !== undefined) helper.prefetched = readFileBytesInBackground(netsuiteFile);
  return helper;
}
