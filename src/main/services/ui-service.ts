import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../shared/errors';
import { runCharts } from '../reconcile/runs/charts';
import type { HandlerMap } from './handler';

type UiChannels = 'ui:list-folder' | 'ui:upload-chunk' | 'ui:run-charts';

const MAX_ENTRIES = 2000;
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

function isControl(c: string): boolean {
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}

/**
 * A folder path typed or chosen by the user: absolute, no NUL or control characters, normalised
 * (`..` segments resolved textually). Pure: the caller then checks the folder exists.
 */
export function checkFolderPath(input: string, platform: 'posix' | 'win32' = path.sep === '\\' ? 'win32' : 'posix') {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const text = input.trim();
  if (text === '')
    throw new UserError('folder_rejected', 'Type a folder path, e.g. /home/me/exports.', { field: 'folder' });
  if ([...text].some(isControl)) {
    throw new UserError('folder_rejected', 'The folder path contains a control character; retype it.', {
      field: 'folder',
    });
  }
  if (!p.isAbsolute(text)) {
    throw new UserError(
      'folder_rejected',
      `"${text}" is not an absolute path: start it with ${platform === 'win32' ? 'a drive, e.g. C:\\' : '/'}.`,
      { field: 'folder' },
    );
  }
  return p.normalize(text);
}

/**
 * The base name a staged upload is written under: the last path segment of what the browser
 * reported, without control characters or leading dots, at most 120 characters; refused when
 * nothing usable is left. Pure.
 */
export function safeUploadName(input: string): string {
  const last = input.split(/[\\/]/).pop() ?? '';
  const cleaned = [...last]
    .map((c) => (isControl(c) || '<>:"|?*'.includes(c) ? '_' : c))
    .join('')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(-120);
  if (cleaned === '' || /^_+$/.test(cleaned)) {
    throw new UserError(
      'upload_name_rejected',
      `"${input}" is not a usable file name; rename the file and drop it again.`,
      {
        field: 'fileName',
      },
    );
  }
  return cleaned;
}

interface Upload {
  file: string;
  bytes: number;
}
const uploads = new Map<string, Upload>();

let uploadDir: string | undefined;

/**
 * A fresh private folder per process (mkdtemp: unpredictable name, created atomically, mode 0700).
 * A fixed name under the shared temp folder could be pre-created by another local user, who
 * would then own the files we import.
 */
function uploadRoot(): string {
  if (!uploadDir || !fs.existsSync(uploadDir)) {
    uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'refund-recon-uploads-'));
    fs.chmodSync(uploadDir, 0o700);
  }
  return uploadDir;
}

function listFolder(input: string | undefined) {
  const folder = input === undefined || input.trim() === '' ? os.homedir() : checkFolderPath(input);
  let dirents: fs.Dirent[];
  try {
    dirents = fs.readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UserError(
      'folder_unreadable',
      `Cannot open the folder ${folder} (${code}). Check the path, or choose another folder.`,
      { field: 'folder' },
    );
  }
  const entries = dirents
    .filter((d) => !d.name.startsWith('.') && (d.isDirectory() || d.isFile()))
    .map((d) => {
      let size: number | null = null;
      if (d.isFile()) {
        try {
          size = fs.statSync(path.join(folder, d.name)).size;
        } catch {
          size = null;
        }
      }
      return { name: d.name, kind: d.isDirectory() ? ('folder' as const) : ('file' as const), size };
    })
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1));
  const parent = path.dirname(folder);
  return {
    path: folder,
    parent: parent === folder ? null : parent,
    entries: entries.slice(0, MAX_ENTRIES),
    truncated: entries.length > MAX_ENTRIES,
  };
}

export const uiHandlers: HandlerMap<UiChannels> = {
  'ui:list-folder': (input, ctx) => {
    // Desktop app: the renderer never browses the disk; it asks for a native dialog instead.
    if (ctx.pathGrants) {
      throw new UserError(
        'not_available',
        'In the desktop app, files and folders are chosen in the system dialog ("Choose file…", "Choose folder…").',
      );
    }
    return listFolder(input.path);
  },
  'ui:upload-chunk': (input, ctx) => {
    const bytes = Buffer.from(input.data, 'base64');
    let uploadId = input.uploadId;
    let upload: Upload | undefined;
    if (uploadId === null) {
      if (input.offset !== 0) throw new UserError('upload_rejected', 'A new upload must start at offset 0.');
      uploadId = randomBytes(16).toString('hex');
      const dir = path.join(uploadRoot(), uploadId);
      fs.mkdirSync(dir, { mode: 0o700 });
      upload = { file: path.join(dir, safeUploadName(input.fileName)), bytes: 0 };
      fs.writeFileSync(upload.file, '', { flag: 'wx', mode: 0o600 });
      uploads.set(uploadId, upload);
    } else {
      upload = uploads.get(uploadId);
      if (!upload) throw new UserError('upload_rejected', 'This upload is unknown or finished; drop the file again.');
    }
    if (input.offset !== upload.bytes) {
      throw new UserError(
        'upload_rejected',
        `Chunk at byte ${input.offset}, expected ${upload.bytes}; drop the file again.`,
      );
    }
    if (upload.bytes + bytes.length > MAX_UPLOAD_BYTES) {
      throw new UserError('upload_rejected', 'The file is larger than 2 GiB; import it by path instead.');
    }
    fs.appendFileSync(upload.file, bytes);
    upload.bytes += bytes.length;
    if (input.done) uploads.delete(uploadId);
    // The staged copy holds bytes the renderer sent, in our private folder: granted for import.
    const staged = input.done ? (ctx.pathGrants ? ctx.pathGrants.grant(upload.file, 'read-file') : upload.file) : null;
    return { uploadId, path: staged, bytes: upload.bytes };
  },
  'ui:run-charts': (input, ctx) => runCharts(ctx.db, input.runId),
};
