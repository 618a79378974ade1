import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Reads files of one directory: undefined for a file that is not there. */
export function reader(dir: string) {
  return {
    read: (name: string) => readFile(path.join(dir, name), 'utf8').catch(() => undefined),
    isDir: (name: string) =>
      stat(path.join(dir, name)).then(
        (stats) => stats.isDirectory(),
        () => false,
      ),
    isFile: (name: string) =>
      stat(path.join(dir, name)).then(
        (stats) => stats.isFile(),
        () => false,
      ),
  };
}

/** Why a directory already in code.src is packaged as it is, instead of built. */
export const alreadyThere = (dir: string) => `${dir}/ is already in code.src, packaged as it is`;
