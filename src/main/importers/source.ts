import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../shared/errors';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

/** How many bytes the sniffers look at (format detection, encoding, delimiter, date format). */
export const SNIFF_BYTES = 64 * 1024;
const CHUNK_BYTES = 1024 * 1024;

export interface SourceProgress {
  bytesRead: number;
  totalBytes: number;
}

/**
 * A file opened for streaming: decoded text chunks (BOM removed, UTF-16 converted), with the
 * byte count and SHA-256 computed on the way. Never reads the whole file into memory.
 */
export interface TextSource {
  /** The path as given. */
  path: string;
  /** The name used in messages (the base name). */
  name: string;
  size: number;
  encoding: Encoding;
  bytesRead: number;
  chunks(): AsyncGenerator<string>;
  /**
   * The raw bytes in chunks (a UTF-8 BOM removed), hashed and counted like chunks(), but NOT
   * decoded or checked: the caller must check UTF-8 itself (the byte-level NDJSON reader checks
   * each run of complete lines with buffer.isUtf8). Call either chunks() or rawChunks(), once.
   */
  rawChunks(): AsyncGenerator<Buffer>;
  /** Hex SHA-256 of the raw bytes; complete once chunks() has been read to the end. */
  sha256(): string;
}

export function displayName(file: string): string {
  return path.basename(file);
}

function sniffEncoding(head: Buffer, name: string): Encoding {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const sample = head.subarray(0, 512);
  let nul = 0;
  for (const byte of sample) if (byte === 0) nul++;
  if (sample.length >= 4 && nul * 4 >= sample.length) {
    throw new UserError(
      'bad_encoding',
      'The file looks like UTF-16 text without a byte-order mark, which cannot be read reliably. Expected UTF-8 (with or without BOM) or UTF-16 with a BOM; save or export the file again as "CSV UTF-8" or UTF-8 JSON.',
      { file: name, line: 1 },
    );
  }
  const first = head.indexOf(0);
  if (first >= 0) {
    // UTF-8: the line is the number of LF bytes before the NUL, plus one.
    let line = 1;
    for (let at = head.indexOf(10); at >= 0 && at < first; at = head.indexOf(10, at + 1)) line++;
    throw nulError(name, line);
  }
  return 'utf-8';
}

/** A NUL character anywhere in a text export: refused with its line (I5 of issue 17). */
export function nulError(name: string, line: number): UserError {
  return new UserError(
    'bad_encoding',
    `The file contains a NUL byte at line ${line}, so it is not a plain text export (is it a spreadsheet or a zip, or was it damaged?). Expected a UTF-8 CSV or JSON file; export it again as CSV or JSON.`,
    { file: name, line },
  );
}

/**
 * The line of the first NUL character in a file (error path only: it reads the file again). The
 * hot path only asks whether a chunk has a NUL; counting lines for every chunk would cost more.
 */
async function lineOfFirstNul(file: string, encoding: Encoding): Promise<number> {
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  const decoder = new TextDecoder(label, { ignoreBOM: false });
  let line = 1;
  const stream = fs.createReadStream(file, { highWaterMark: CHUNK_BYTES });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = decoder.decode(chunk, { stream: true });
      const nul = text.indexOf('\u0000');
      const upto = nul < 0 ? text.length : nul;
      for (let at = text.indexOf('\n'); at >= 0 && at < upto; at = text.indexOf('\n', at + 1)) line++;
      if (nul >= 0) return line;
    }
  } finally {
    stream.destroy();
  }
  return line;
}

/** Reads the first bytes of a file (for detection) without opening a stream. */
function cannotOpen(file: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'there is no such file'
      : code === 'EISDIR'
        ? 'it is a folder, not a file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'ENOTDIR'
            ? 'a part of the path is not a folder'
            : code === 'ELOOP'
              ? 'the path has too many symbolic links'
              : 'the system refused to open it';
  return new UserError('file_not_readable', `Cannot open ${file}: ${why}. Check the path and try again.`, {
    file: displayName(file),
  });
}

function notRegular(file: string, stat: fs.Stats): UserError {
  const what = stat.isDirectory()
    ? 'a folder'
    : stat.isFIFO()
      ? 'a named pipe'
      : stat.isSocket()
        ? 'a socket'
        : stat.isCharacterDevice() || stat.isBlockDevice()
          ? 'a device'
          : 'not a regular file';
  return new UserError(
    'file_not_readable',
    `Cannot open ${file}: it is ${what}, not a file. Choose the export file itself.`,
    { file: displayName(file) },
  );
}

/**
 * Refuses anything but a regular file BEFORE opening it: opening a named pipe with no writer
 * blocks forever (and holds one of libuv's four file threads: a few such requests stall every
 * file read of the process), and a device may never end. Symbolic links are followed to a
 * regular file. Returns the file's stat.
 */
export async function statRegularFile(file: string): Promise<fs.Stats> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch (error) {
    throw cannotOpen(file, error);
  }
  if (!stat.isFile()) throw notRegular(file, stat);
  return stat;
}

/** statRegularFile for synchronous readers (small option files read with readFileSync). */
export function statRegularFileSync(file: string): fs.Stats {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw cannotOpen(file, error);
  }
  if (!stat.isFile()) throw notRegular(file, stat);
  return stat;
}

export async function readHead(file: string, bytes = SNIFF_BYTES): Promise<{ head: Buffer; size: number }> {
  await statRegularFile(file);
  let handle: fs.promises.FileHandle;
  try {
    // O_NONBLOCK: should the path be swapped for a pipe after the check, open still returns at once.
    handle = await fs.promises.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw cannotOpen(file, error);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw notRegular(file, stat);
    const buffer = Buffer.alloc(Math.min(bytes, stat.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { head: buffer.subarray(0, bytesRead), size: stat.size };
  } finally {
    await handle.close();
  }
}

/** Decodes the head for sniffing (may end in a cut character: callers only look at structure). */
export function decodeHead(head: Buffer, name: string): { text: string; encoding: Encoding } {
  const encoding = sniffEncoding(head, name);
  const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
  const text = new TextDecoder(label, { ignoreBOM: false }).decode(head);
  return { text, encoding };
}

export interface OpenSourceOptions {
  signal?: AbortSignal;
  /**
   * Hash the bytes while reading (default true). The parallel import's parse thread passes false:
   * the writing thread hashes the same bytes, paced by the parser (parse-thread.ts).
   */
  hash?: boolean;
  onProgress?: (p: SourceProgress) => void;
}

export async function openSource(file: string, options: OpenSourceOptions = {}): Promise<TextSource> {
  const name = displayName(file);
  const { head, size } = await readHead(file, 4096);
  if (size === 0 || head.length === 0) {
    throw new UserError('empty_file', 'The file is empty (0 bytes). Export it again; the export may have failed.', {
      file: name,
    });
  }
  const encoding = sniffEncoding(head, name);
  const hashing = options.hash ?? true;
  const hash = createHash('sha256');
  let digest: string | undefined;
  const source: TextSource = {
    path: file,
    name,
    size,
    encoding,
    bytesRead: 0,
    sha256() {
      if (!hashing) throw new Error('This source was opened without hashing.');
      digest ??= hash.digest('hex');
      return digest;
    },
    async *rawChunks() {
      const stream = fs.createReadStream(file, { highWaterMark: CHUNK_BYTES, signal: options.signal });
      let lastReport = 0;
      let first = encoding === 'utf-8-bom';
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          if (hashing) hash.update(chunk);
          source.bytesRead += chunk.length;
          if (options.onProgress && (source.bytesRead - lastReport >= 4 * CHUNK_BYTES || source.bytesRead === size)) {
            lastReport = source.bytesRead;
            options.onProgress({ bytesRead: source.bytesRead, totalBytes: size });
          }
          if (chunk.indexOf(0) >= 0) throw nulError(name, await lineOfFirstNul(file, encoding));
          let bytes = chunk;
          if (first) {
            first = false;
            if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
              bytes = bytes.subarray(3);
          }
          if (bytes.length > 0) yield bytes;
        }
      } catch (error) {
        if ((error as Error).name === 'AbortError') {
          throw new UserError('cancelled', 'The import was cancelled; nothing was saved.');
        }
        throw error;
      } finally {
        stream.destroy();
      }
    },
    async *chunks() {
      const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
      // fatal: invalid bytes are an error with a position, never silently replaced.
      const decoder = new TextDecoder(label, { fatal: true, ignoreBOM: false });
      const stream = fs.createReadStream(file, { highWaterMark: CHUNK_BYTES, signal: options.signal });
      let lastReport = 0;
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          const start = source.bytesRead;
          if (hashing) hash.update(chunk);
          source.bytesRead += chunk.length;
          let text: string;
          try {
            text = decoder.decode(chunk, { stream: true });
          } catch {
            throw new UserError(
              'bad_encoding',
              `The file is not valid ${label.toUpperCase()} text (an invalid byte sequence in bytes ${start}–${source.bytesRead}). It may be in a legacy encoding such as Windows-1252; export it again as UTF-8.`,
              { file: name },
            );
          }
          if (text.indexOf('\u0000') >= 0) throw nulError(name, await lineOfFirstNul(file, encoding));
          if (options.onProgress && (source.bytesRead - lastReport >= 4 * CHUNK_BYTES || source.bytesRead === size)) {
            lastReport = source.bytesRead;
            options.onProgress({ bytesRead: source.bytesRead, totalBytes: size });
          }
          if (text.length > 0) yield text;
        }
        let tail: string;
        try {
          tail = decoder.decode();
        } catch {
          throw new UserError(
            'truncated_file',
            `The file ends in the middle of a ${label.toUpperCase()} character: it looks truncated. Export or download it again.`,
            { file: name },
          );
        }
        if (tail.length > 0) yield tail;
      } catch (error) {
        if ((error as Error).name === 'AbortError') {
          throw new UserError('cancelled', 'The import was cancelled; nothing was saved.');
        }
        throw error;
      } finally {
        stream.destroy();
      }
    },
  };
  return source;
}
