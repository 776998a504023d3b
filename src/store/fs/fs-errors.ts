// Turn the ways a path can be unreadable into one sentence that names the file.
import { accessSync, constants, statSync } from 'node:fs';
import { InputError } from '../types.js';

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** The user-facing reason a file operation failed. */
export function describeFsError(e: unknown): string {
  switch (errnoCode(e)) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ENOTDIR':
      return 'a parent of this path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on device';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

export function inputErrorFromFs(file: string, e: unknown): InputError {
  if (e instanceof InputError) return e;
  return new InputError(file, null, describeFsError(e));
}

/** Fail early, with a clear sentence, unless `file` is a readable regular file. */
export function assertReadableFile(file: string): void {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    throw inputErrorFromFs(file, e);
  }
  if (st.isDirectory()) throw new InputError(file, null, 'is a directory, not a file');
  if (!st.isFile()) throw new InputError(file, null, 'is not a regular file');
  try {
    accessSync(file, constants.R_OK);
  } catch (e) {
    throw inputErrorFromFs(file, e);
  }
}

/** Fail early unless `dir` is a readable directory. */
export function assertReadableDir(dir: string): void {
  let st;
  try {
    st = statSync(dir);
  } catch (e) {
    throw new InputError(dir, null, errnoCode(e) === 'ENOENT' ? 'no such directory' : describeFsError(e));
  }
  if (!st.isDirectory()) throw new InputError(dir, null, 'is not a directory');
  try {
    accessSync(dir, constants.R_OK | constants.X_OK);
  } catch (e) {
    throw inputErrorFromFs(dir, e);
  }
}

export { errnoCode };
