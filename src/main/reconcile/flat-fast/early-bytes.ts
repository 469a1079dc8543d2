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
 * CLI loads its modules (issue 15): the read then runs beside the module loading instead of after
 * it, at the head of the main thread's critical path. A file whose header the flat table does not
 * take is not read (null), as the helper does (hasFlatHeader): a large file of another format is
 * left to the general path without a copy of it in memory. Never rejects.
 */
export function readFileBytesInBackground(file: string): EarlyBytes {
  return { file, bytes: readShared(file).catch(() => null) };
}

async function readShared(file: string): Promise<Buffer | null> {
  // Loaded here, not at the top: this module is part of what the CLI loads before the helper starts.
  const { hasFlatHeader } = await import('./flat-table');
  if (!hasFlatHeader(file)) return null;
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
