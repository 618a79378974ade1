import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

/** Bounds against zip bombs: the cloud has package limits too, these are generous for a laptop. */
const MAX_ENTRIES = 20_000;
const MAX_TOTAL_BYTES = 1024 * 1024 * 1024;

/**
 * Extracts a zip into `dest`. Entries with `..` segments, absolute or drive-letter paths are refused
 * before anything is written, symlinks are written as plain files, and every target path is checked to
 * stay inside `dest` — so a hostile package cannot write outside the emulator's own directory.
 */
export async function unzipTo(zip: Buffer, dest: string): Promise<void> {
  const root = resolve(dest);
  // strictFileNames makes yauzl reject backslashes; it also refuses absolute and `..` names itself,
  // which the explicit check below restates so the rule does not hinge on a library default.
  const zipfile = await yauzl.fromBufferPromise(zip, { lazyEntries: true, strictFileNames: true });
  let entries = 0;
  let total = 0;
  try {
    for (let entry = await nextEntry(zipfile); entry !== null; entry = await nextEntry(zipfile)) {
      const name = entry.fileName;
      const target = resolve(root, name);
      if (
        isAbsolute(name) ||
        /^[a-zA-Z]:/.test(name) ||
        name.split('/').includes('..') ||
        !inside(root, target)
      ) {
        throw new Error(`zip entry "${name}" escapes the code directory`);
      }
      if (++entries > MAX_ENTRIES) throw new Error(`zip has more than ${MAX_ENTRIES} entries`);
      total += entry.uncompressedSize;
      if (total > MAX_TOTAL_BYTES) throw new Error(`zip expands to more than ${MAX_TOTAL_BYTES} bytes`);
      if (name.endsWith('/')) {
        await mkdir(target, { recursive: true });
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      const unixMode = (entry.externalFileAttributes >>> 16) & 0o777;
      const mode = unixMode & 0o111 ? 0o755 : 0o644;
      await pipeline(await zipfile.openReadStreamPromise(entry), createWriteStream(target, { mode }));
    }
  } finally {
    zipfile.close();
  }
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && rel.split(sep)[0] !== '..' && !isAbsolute(rel);
}

function nextEntry(zipfile: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolvePromise, reject) => {
    const cleanup = (): void => {
      zipfile.off('entry', onEntry);
      zipfile.off('end', onEnd);
      zipfile.off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry): void => (cleanup(), resolvePromise(entry));
    const onEnd = (): void => (cleanup(), resolvePromise(null));
    const onError = (error: Error): void => (cleanup(), reject(error));
    zipfile.on('entry', onEntry);
    zipfile.on('end', onEnd);
    zipfile.on('error', onError);
    zipfile.readEntry();
  });
}
