import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../shared/errors';

/** A command's `--out` file, written under a temporary name and put in place only when the command succeeds. */
export interface OutputFile {
  fd: number;
  /** Renames the finished file over the target. */
  commit(): void;
  /** Removes the temporary file; the target is left as it was. */
  discard(): void;
}

/**
 * Opens `target` for a command's output the way report exports are written (reports/export-run.ts):
 * into a temporary file beside it (O_EXCL, so it never follows a planted link), renamed over the
 * target once everything is written. A run that fails on bad input therefore never truncates an
 * earlier report of the same name, and never leaves half a file. A folder that does not exist or
 * cannot be written is the user's to fix: a UserError naming the file, not a stack trace.
 */
export function openOutputFile(target: string): OutputFile {
  const dir = path.dirname(path.resolve(target));
  const temp = path.join(dir, `.${path.basename(target).slice(0, 60)}.${randomBytes(6).toString('hex')}.partial`);
  let fd: number;
  try {
    fd = fs.openSync(temp, 'wx');
  } catch (error) {
    throw notWritable(error, target);
  }
  let open = true;
  const close = () => {
    if (open) fs.closeSync(fd);
    open = false;
  };
  return {
    fd,
    commit() {
      close();
      try {
        fs.renameSync(temp, target);
      } catch (error) {
        fs.rmSync(temp, { force: true });
        throw notWritable(error, target);
      }
    },
    discard() {
      close();
      fs.rmSync(temp, { force: true });
    },
  };
}

function notWritable(error: unknown, target: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new UserError(
      'output_not_writable',
      `The output file ${target} cannot be written: its folder does not exist. Create the folder, or choose another output file, and run the command again.`,
      { file: target },
    );
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'EBUSY' || code === 'EISDIR') {
    return new UserError(
      'output_not_writable',
      `The output file ${target} cannot be written (${code}): the folder or the file is read-only, or the name is a folder or open in another program. Choose another output file and run the command again.`,
      { file: target },
    );
  }
  return error as Error;
}
