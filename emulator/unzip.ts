import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

/** Bounds against zip bombs: the cloud has package limits too, these are generous for a laptop. */
const MAX_ENTRIES = 20_000;
const MAX_TOTAL_BYTES = 1024 * 1024 * 1024;

/**
 * Checks a zip from its central directory alone, without extracting anything: it must be a zip, no
 * entry may leave the code directory, and it must stay within the entry and size bounds. Throws an
 * Error naming the problem, e.g. `entry "../evil" escapes the code directory`.
 */
export async function checkZip(zip: ZipSource): Promise<void> {
  await forEachEntry(zip, () => Promise.resolve());
}

/**
 * Extracts a zip into `dest`, with the checks of `checkZip` made before anything is written. Symlinks
 * are written as plain files and every target path is checked again to stay inside `dest`, so a
 * hostile package cannot write outside the emulator's own directory.
 */
export async function unzipTo(zip: ZipSource, dest: string): Promise<void> {
  const root = resolve(dest);
  await forEachEntry(zip, async (zipfile, entry, name) => {
    const target = resolve(root, name);
    // Defence in depth: the name rules already exclude this; the resolved path is what gets written.
    if (!inside(root, target)) throw new Error(`entry "${name}" escapes the code directory`);
    if (name.endsWith('/')) {
      await mkdir(target, { recursive: true });
      return;
    }
    await mkdir(dirname(target), { recursive: true });
    const unixMode = (entry.externalFileAttributes >>> 16) & 0o777;
    const mode = unixMode & 0o111 ? 0o755 : 0o644;
    await pipeline(await zipfile.openReadStreamPromise(entry), createWriteStream(target, { mode }));
  });
}

/** A zip in memory, or the path of a zip file (read in place, so a large package is never loaded whole). */
export type ZipSource = Buffer | string;

type EntryHandler = (zipfile: yauzl.ZipFile, entry: yauzl.Entry, name: string) => Promise<void>;

/** Walks the central directory, checking each entry before `handle` sees it. */
async function forEachEntry(zip: ZipSource, handle: EntryHandler): Promise<void> {
  // Names are decoded here rather than by yauzl, whose own refusal ("invalid relative path: …") would
  // not say what is wrong in the terms of the code directory.
  const options = { lazyEntries: true, decodeStrings: false };
  const zipfile = await (
    typeof zip === 'string' ? yauzl.openPromise(zip, options) : yauzl.fromBufferPromise(zip, options)
  ).catch((error: Error) => {
    throw new Error(`not a zip archive (${error.message})`);
  });
  let entries = 0;
  let total = 0;
  try {
    for (let entry = await nextEntry(zipfile); entry !== null; entry = await nextEntry(zipfile)) {
      const name = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        true,
      );
      checkName(name);
      if (++entries > MAX_ENTRIES) throw new Error(`more than ${MAX_ENTRIES} entries`);
      total += entry.uncompressedSize;
      if (total > MAX_TOTAL_BYTES) throw new Error(`expands to more than ${MAX_TOTAL_BYTES} bytes`);
      await handle(zipfile, entry, name);
    }
  } finally {
    zipfile.close();
  }
}

/** Refuses `..` segments, absolute and drive-letter paths, and backslashes (ambiguous separators). */
function checkName(name: string): void {
  if (name.includes('\\')) throw new Error(`entry "${name}" contains a backslash; use / as the separator`);
  if (isAbsolute(name) || /^[a-zA-Z]:/.test(name) || name.split('/').includes('..')) {
    throw new Error(`entry "${name}" escapes the code directory`);
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
