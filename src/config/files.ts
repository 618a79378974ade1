/** Reading the files a configuration is made of (s.yaml, extended file, .env, `${file()}`) safely. */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { formatBytes, MAX_FILE_BYTES } from './limits.js';

/** Why a file cannot be used; the message completes a sentence that starts with the file's name. */
export class UnreadableFileError extends Error {
  constructor(
    message: string,
    /** The system's error code, e.g. ENOENT. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'UnreadableFileError';
  }
}

function notRegular(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'is a directory, not a file';
  if (stats.isFIFO()) return 'is a named pipe (FIFO), not a regular file';
  if (stats.isSocket()) return 'is a socket, not a regular file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'is a device, not a regular file';
  return 'is not a regular file';
}

function tooLarge(maxBytes: number): UnreadableFileError {
  return new UnreadableFileError(`is larger than the ${formatBytes(maxBytes)} limit`);
}

function openError(error: unknown): UnreadableFileError {
  const { code } = error as NodeJS.ErrnoException;
  const reason =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'cannot be read: permission denied'
        : code === 'ELOOP'
          ? 'is a loop of symbolic links'
          : `cannot be read (${code ?? (error as Error).message})`;
  return new UnreadableFileError(reason, code);
}

/**
 * Reads a regular file of at most `maxBytes`, following symbolic links. The type is checked on the open
 * descriptor before anything is read: a FIFO would block forever and /dev/zero never ends. The open is
 * non-blocking, since opening a FIFO without a writer blocks too; the size is enforced while reading as
 * well, because some files (/proc) report a size of 0.
 */
export function readRegularFile(file: string, maxBytes = MAX_FILE_BYTES): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK does not exist on Windows, which has no FIFOs to open either.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw openError(error);
  }
  try {
    const stats = fstatSync(fd);
    const reason = notRegular(stats);
    if (reason) throw new UnreadableFileError(reason);
    if (stats.size > maxBytes) throw tooLarge(maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(maxBytes + 1, 64 * 1024));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxBytes) throw tooLarge(maxBytes);
      chunks.push(chunk.subarray(0, read));
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    throw error instanceof UnreadableFileError ? error : openError(error);
  } finally {
    closeSync(fd);
  }
}
