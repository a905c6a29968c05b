// Node-only: a raw file-system failure (an ErrnoException: ENOTDIR, ENOENT, EEXIST, EACCES,
// ENOSPC, ...) as a typed FileSystemError naming the path, so no raw system text reaches the user.
import { FileSystemError } from '../../pipeline/errors';

/** Node's errno errors carry a string `code` such as 'ENOENT' (and usually `syscall`, `path`). */
export function isErrnoError(err: unknown): err is NodeJS.ErrnoException & { code: string } {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string'
    ? /^E[A-Z0-9]+$/.test((err as NodeJS.ErrnoException).code!)
    : false;
}

/** What each code means, in words (the raw message repeats the syscall and path). */
const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'something already exists there',
  EISDIR: 'is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTEMPTY: 'the folder is not empty',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EIO: 'input/output error',
};

/**
 * `err` as a FileSystemError on `path` (default: the errno's own path) for `operation` ('write',
 * 'create the folder', ...; default: the system call); anything that is not an errno error is
 * returned as is.
 */
export function fileSystemError(err: unknown, path?: string, operation?: string): unknown {
  if (err instanceof FileSystemError || !isErrnoError(err)) return err;
  const where = path ?? err.path ?? '(unknown path)';
  const what = operation ?? (err.syscall ? `${err.syscall}` : 'access');
  return new FileSystemError(where, what, err.code, REASONS[err.code] ?? err.message);
}
