import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../shared/errors';

/**
 * Paths the user handed to the app through a native dialog (desktop app only).
 *
 * The renderer is untrusted: in the desktop app a path it sends is used only when the main process
 * recorded it here first, because the user chose it in a dialog the main process showed (or the
 * main process staged the file itself, e.g. a dropped file's bytes). Browser mode and the CLI have
 * no PathGrants: there the typed path is part of the design (guarded by the per-start token).
 *
 * - `read-file`: one regular file, to detect and import. Expires after `fileTtlMs` (30 min);
 *   `consume` ends it early (the import does after a successful import).
 * - `write-folder`: one folder, to write export files directly inside. Expires after `folderTtlMs`
 *   (8 h). It never allows reading anything, nor writing into a sub-folder.
 *
 * Every path is compared by its realpath, taken when the grant is made and again at each check, so
 * a symlink, `..` or a retargeted link cannot turn a granted path into another one. The check
 * returns that realpath: callers use it (not the renderer's text) for the actual read or write.
 * Pure apart from `realpath`/`stat` (injectable for tests); no electron.
 */
export type GrantKind = 'read-file' | 'write-folder';

export interface GrantFs {
  /** Canonical absolute path (symlinks resolved); throws when nothing is there. */
  realpath(p: string): string;
  kind(p: string): 'file' | 'directory' | 'other';
}

export const nodeGrantFs: GrantFs = {
  realpath: (p) => fs.realpathSync.native(p),
  kind(p) {
    const st = fs.statSync(p);
    return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
  },
};

export interface PathGrantsOptions {
  fileTtlMs?: number;
  folderTtlMs?: number;
  /** At most this many live grants; the oldest goes first (a renderer cannot grow the table). */
  maxGrants?: number;
  now?: () => number;
  fs?: GrantFs;
}

export const DEFAULT_FILE_TTL_MS = 30 * 60_000;
export const DEFAULT_FOLDER_TTL_MS = 8 * 60 * 60_000;
export const DEFAULT_MAX_GRANTS = 64;

interface Grant {
  kind: GrantKind;
  expiresAt: number;
}

function isControl(c: string): boolean {
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}

const WHAT: Record<GrantKind, { noun: string; how: string }> = {
  'read-file': { noun: 'file', how: 'choose it with "Choose file…" (or drop it on the page)' },
  'write-folder': { noun: 'folder', how: 'choose it with "Choose folder…"' },
};

function notGranted(kind: GrantKind, why: string): never {
  const { noun, how } = WHAT[kind];
  throw new UserError(
    'path_not_granted',
    `The app did not get this ${noun} from you in a dialog (${why}), so it will not use it: ${how}.`,
    { field: kind === 'read-file' ? 'path' : 'folder' },
  );
}

export class PathGrants {
  private readonly grants = new Map<string, Grant>();
  private readonly fileTtl: number;
  private readonly folderTtl: number;
  private readonly max: number;
  private readonly now: () => number;
  private readonly fs: GrantFs;

  constructor(options: PathGrantsOptions = {}) {
    this.fileTtl = options.fileTtlMs ?? DEFAULT_FILE_TTL_MS;
    this.folderTtl = options.folderTtlMs ?? DEFAULT_FOLDER_TTL_MS;
    this.max = options.maxGrants ?? DEFAULT_MAX_GRANTS;
    this.now = options.now ?? Date.now;
    this.fs = options.fs ?? nodeGrantFs;
  }

  /**
   * Records a path the user chose (main process only: a dialog answer or a file the main process
   * staged). Returns its realpath, which is what the renderer gets back and sends again.
   */
  grant(chosen: string, kind: GrantKind): string {
    const real = this.resolve(chosen, kind);
    if (real === null) throw new UserError('path_unusable', `The chosen ${WHAT[kind].noun} cannot be used.`);
    this.prune();
    const key = this.key(real, kind);
    this.grants.delete(key); // re-granting moves it to the end (newest)
    this.grants.set(key, { kind, expiresAt: this.now() + (kind === 'read-file' ? this.fileTtl : this.folderTtl) });
    while (this.grants.size > this.max) {
      const oldest = this.grants.keys().next().value as string;
      this.grants.delete(oldest);
    }
    return real;
  }

  /**
   * Throws `path_not_granted` unless `requested` resolves to a live grant of this kind; returns
   * the realpath to use. `read-file`: a regular file granted as such. `write-folder`: a folder
   * granted as such (files are then written directly inside it by the export's own checks).
   */
  assertGranted(requested: string, kind: GrantKind): string {
    const real = this.resolve(requested, kind);
    // One answer for "missing" and "never chosen": a renderer cannot probe what exists.
    const grant = real === null ? undefined : this.grants.get(this.key(real, kind));
    if (real === null || !grant) notGranted(kind, 'it was not chosen in a dialog, or is gone');
    if (grant.expiresAt <= this.now()) {
      this.grants.delete(this.key(real, kind));
      notGranted(kind, 'the choice has expired');
    }
    return real;
  }

  /** True when `requested` is granted (never throws). */
  isGranted(requested: string, kind: GrantKind): boolean {
    try {
      this.assertGranted(requested, kind);
      return true;
    } catch {
      return false;
    }
  }

  /** Ends a grant early (e.g. a file once imported); a path not granted is ignored. */
  consume(requested: string, kind: GrantKind): void {
    const real = this.resolve(requested, kind);
    if (real !== null) this.grants.delete(this.key(real, kind));
  }

  /** Live grants (for tests and diagnostics). */
  get size(): number {
    this.prune();
    return this.grants.size;
  }

  private key(real: string, kind: GrantKind): string {
    return `${kind}\u0000${real}`;
  }

  private prune(): void {
    const now = this.now();
    for (const [key, grant] of this.grants) if (grant.expiresAt <= now) this.grants.delete(key);
  }

  /** The realpath when `p` is an absolute, clean path to an existing thing of the right kind. */
  private resolve(p: string, kind: GrantKind): string | null {
    if (typeof p !== 'string' || p === '' || [...p].some(isControl) || !path.isAbsolute(p)) return null;
    let real: string;
    try {
      real = this.fs.realpath(p);
      const found = this.fs.kind(real);
      if (found !== (kind === 'read-file' ? 'file' : 'directory')) return null;
    } catch {
      return null;
    }
    return real;
  }
}
