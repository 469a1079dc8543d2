import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../shared/errors';
import type { ReportFormat } from './report-model';

/**
 * Where an export may be written. The user chooses a folder (save dialog, or the CLI's `--out`
 * directory); the app proposes a file name (often built from user text: a workspace or account
 * name). The decision is: exactly one file, directly inside that folder, with the right extension,
 * and a name that is valid on Windows, macOS and Linux alike (exports travel between machines and
 * shared drives, so Windows rules apply everywhere).
 *
 * Rejected (UserError `export_name_rejected`): empty names, NUL, path separators (`/`, `\`), `.` or
 * `..`, absolute paths, drive (`C:`) and UNC/device (`\\server\share`, `\\?\`) prefixes, Windows
 * reserved device names (CON, PRN, AUX, NUL, COM0-9, LPT0-9, CONIN$, CONOUT$, with any extension).
 * Sanitised: characters Windows forbids (`<>:"|?*`, control characters) become `_`, runs of
 * whitespace become one space, leading dots and trailing dots/spaces go, the name is cut to 180
 * characters, and the extension is set to the format's (`.csv`, `.xlsx`, `.html`).
 */

export const EXPORT_EXTENSIONS: Record<ReportFormat, string> = { csv: '.csv', xlsx: '.xlsx', html: '.html' };
const KNOWN_EXTENSIONS = new Set(['.csv', '.xlsx', '.xls', '.html', '.htm', '.pdf', '.txt', '.json']);
const MAX_BASE_CHARS = 180;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we replace
const FORBIDDEN_CHARS = /[\u0000-\u001F\u007F<>:"|?*]/g;

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)$/i;

function reject(name: string, why: string): never {
  throw new UserError(
    'export_name_rejected',
    `The export file name ${JSON.stringify(name)} cannot be used: ${why}. Choose a plain file name such as "refund-report-2026-01".`,
    { field: 'file name' },
  );
}

/** True when `name` (after Windows' own trimming) is a reserved device name, with or without extension. */
export function isWindowsReservedName(name: string): boolean {
  const stem = name.split('.')[0]!.replace(/[ .]+$/, '');
  return RESERVED.test(stem);
}

/**
 * Checks and sanitises a proposed file name; returns the final file name (no directory).
 * Pure: no file-system access.
 */
export function sanitiseExportName(proposed: string, format: ReportFormat): string {
  const extension = EXPORT_EXTENSIONS[format];
  if (typeof proposed !== 'string') reject(String(proposed), 'it is not text');
  if (proposed.includes('\0')) reject(proposed, 'it contains a NUL character');
  const trimmed = proposed.trim();
  if (trimmed === '') reject(proposed, 'it is empty');
  if (/^[a-zA-Z]:/.test(trimmed)) reject(proposed, 'it starts with a drive letter; give a file name, not a path');
  if (/^[\\/]{2}/.test(trimmed)) reject(proposed, 'it is a network (UNC) or device path; give a file name, not a path');
  if (path.posix.isAbsolute(trimmed) || path.win32.isAbsolute(trimmed)) {
    reject(proposed, 'it is an absolute path; give a file name, the folder is chosen separately');
  }
  if (/[\\/]/.test(trimmed)) reject(proposed, 'it contains a folder separator (/ or \\); give a file name only');
  if (/^\.+$/.test(trimmed)) reject(proposed, 'it names a folder (. or ..), not a file');
  if (isWindowsReservedName(trimmed)) reject(proposed, 'it is a name Windows reserves for devices');

  let name = trimmed
    .replace(FORBIDDEN_CHARS, '_')
    .replace(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '') // invisible and bidi-override marks
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+/, '');

  // Drop a known export extension the user typed (report.csv → report), keep anything else (v1.2 → v1.2).
  const dot = name.lastIndexOf('.');
  if (dot > 0 && KNOWN_EXTENSIONS.has(name.slice(dot).toLowerCase())) name = name.slice(0, dot);
  name = name.replace(/[. ]+$/, '');
  if (name.length > MAX_BASE_CHARS) name = name.slice(0, MAX_BASE_CHARS).replace(/[. ]+$/, '');
  // Never cut a surrogate pair in half.
  if (/[\uD800-\uDBFF]$/.test(name)) name = name.slice(0, -1);
  if (name === '' || /^_+$/.test(name)) reject(proposed, 'nothing usable is left once invalid characters are removed');
  if (isWindowsReservedName(name)) reject(proposed, 'it is a name Windows reserves for devices');
  return name + extension;
}

/**
 * The output path, decided lexically: `folder` must be absolute; the result is `folder/<sanitised
 * name>`, and is checked to lie directly inside `folder`. Pure: no file-system access (see
 * `resolveExportPath` for the realpath checks).
 */
export function planExportPath(folder: string, proposed: string, format: ReportFormat): string {
  if (typeof folder !== 'string' || folder === '' || folder.includes('\0') || !path.isAbsolute(folder)) {
    throw new UserError(
      'export_folder_rejected',
      `The export folder ${JSON.stringify(folder)} is not an absolute folder path.`,
      {
        field: 'folder',
      },
    );
  }
  const base = path.resolve(folder);
  const name = sanitiseExportName(proposed, format);
  const target = path.join(base, name);
  if (path.dirname(target) !== base || path.basename(target) !== name)
    reject(proposed, 'it would leave the chosen folder');
  return target;
}

export interface ResolveFs {
  realpath(p: string): string;
  /** 'missing' when nothing is there. */
  kind(p: string): 'file' | 'directory' | 'symlink' | 'other' | 'missing';
}

const nodeFs: ResolveFs = {
  realpath: (p) => realpathSync.native(p),
  kind(p) {
    try {
      const st = lstatSync(p);
      if (st.isSymbolicLink()) return 'symlink';
      if (st.isFile()) return 'file';
      if (st.isDirectory()) return 'directory';
      return 'other';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw error;
    }
  },
};

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The output path on the real file system: the folder is resolved with realpath (a folder reached
 * through a symlink is fine, it is what the user chose), must exist and be a directory; the target
 * must not be a directory or special file, and if it is a symlink, it must resolve inside the
 * folder (an export never writes through a link to somewhere else). The export itself then replaces
 * the target by rename, which never follows a link.
 */
export function resolveExportPath(
  folder: string,
  proposed: string,
  format: ReportFormat,
  fs: ResolveFs = nodeFs,
): string {
  const planned = planExportPath(folder, proposed, format);
  let realFolder: string;
  try {
    realFolder = fs.realpath(path.dirname(planned));
  } catch {
    throw new UserError(
      'export_folder_missing',
      `The export folder ${folder} does not exist. Choose an existing folder.`,
      {
        field: 'folder',
      },
    );
  }
  if (fs.kind(realFolder) !== 'directory') {
    throw new UserError('export_folder_rejected', `The export folder ${folder} is not a folder. Choose a folder.`, {
      field: 'folder',
    });
  }
  const target = path.join(realFolder, path.basename(planned));
  const kind = fs.kind(target);
  if (kind === 'directory' || kind === 'other') {
    throw new UserError(
      'export_target_rejected',
      `${target} exists and is not a regular file; choose another file name.`,
      { file: target },
    );
  }
  if (kind === 'symlink') {
    let resolved: string | null = null;
    try {
      resolved = fs.realpath(target);
    } catch {
      resolved = null; // dangling link
    }
    if (resolved === null || !isInside(realFolder, resolved) || path.dirname(resolved) !== realFolder) {
      throw new UserError(
        'export_target_rejected',
        `${target} is a link to a place outside the chosen folder; the export will not write through it. Choose another file name.`,
        { file: target },
      );
    }
  }
  if (!isInside(realFolder, target)) {
    throw new UserError('export_target_rejected', `${target} is outside the chosen folder.`, { file: target });
  }
  return target;
}
