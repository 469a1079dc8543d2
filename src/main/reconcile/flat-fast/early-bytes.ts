import fs from 'node:fs';

/** A file's bytes being read in the background (see readFileBytesInBackground). */
export interface EarlyBytes {
  readonly file: string;
  /** The bytes in shared memory, or null (too large, shrank, or unreadable: the caller reads it again). */
  readonly bytes: Promise<Buffer | null>;
}

/**
 * Reads `file` into a SharedArrayBuffer on libuv's thread pool, as readFileBytes (flat-table.ts)
 * does with `shared` on this thread. The flat one-shot starts it for the NetSuite file before the
 * CLI loads its modules (issue 15): the read (~0.5–1 s of 115 MB at 1M) then runs beside the module
 * loading instead of after it, at the head of the main thread's critical path. Never rejects.
 */
export function readFileBytesInBackground(file: string): EarlyBytes {
  return { file, bytes: readShared(file).catch(() => null) };
}

async function readShared(file: string): Promise<Buffer | null> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    if (size >= 2 ** 32 - 1) return null;
    const bytes = Buffer.from(new SharedArrayBuffer(size));
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, Math.min(size - at, 1 << 30), at);
      if (bytesRead === 0) return null;
      at += bytesRead;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}
