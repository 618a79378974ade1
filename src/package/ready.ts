import { createReadStream } from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';
import { Crc64 } from './crc64.js';
import { PackageError } from './errors.js';

/** What a ready zip holds, measured. */
export interface ReadyZip {
  bytes: number;
  files: number;
  checksum: string;
  /** Entries whose base name starts with `.env`: usually secrets, worth a warning. */
  envFiles: string[];
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const MADE_BY_UNIX = 3;
/** A link target longer than this is no path anyone meant; refusing it also bounds what is read. */
const MAX_LINK_TARGET = 4096;

/**
 * Why an entry name would extract outside the directory it is unzipped into, or undefined if it is safe:
 * `..` segments, absolute and drive-letter paths, and backslashes (a separator on Windows).
 */
function unsafeEntryName(name: string): string | undefined {
  if (name.includes('\\')) return 'contains a backslash, which unzippers on Windows read as a separator';
  if (path.posix.isAbsolute(name) || /^[a-zA-Z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').includes('..')) return 'climbs out of the code directory with ..';
  return undefined;
}

/**
 * Checks a ready zip from its central directory before it is sent: it must be a zip, and no entry may
 * extract outside the code directory ("zip slip"), by its name or as a symlink pointing out. Measures
 * its size and CRC-64 on the way.
 */
export async function inspectZip(zipPath: string): Promise<ReadyZip> {
  const refuse = (detail: string): never => {
    throw new PackageError(`code.src ${zipPath} ${detail}`);
  };
  const zip = await yauzl
    .openPromise(zipPath, { lazyEntries: true, decodeStrings: false })
    .catch((error: Error) => refuse(`is not a usable zip: ${error.message}.`));
  let files = 0;
  const envFiles: string[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      // Decoded here rather than by yauzl, whose refusal ("invalid relative path") names no remedy.
      const name = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        true,
      );
      const problem = unsafeEntryName(name);
      if (problem)
        refuse(`has an entry ${JSON.stringify(name)} that ${problem}; rebuild the zip without it.`);
      if (name.endsWith('/')) continue;
      files++;
      if (path.posix.basename(name).startsWith('.env')) envFiles.push(name);
      if (isSymlink(entry)) {
        if (entry.uncompressedSize > MAX_LINK_TARGET) {
          refuse(`has a symlink ${JSON.stringify(name)} whose target is over ${MAX_LINK_TARGET} bytes.`);
        }
        const target = await readEntry(zip, entry);
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(name), target));
        if (path.posix.isAbsolute(target) || resolved === '..' || resolved.startsWith('../')) {
          refuse(
            `has a symlink ${JSON.stringify(name)} -> ${JSON.stringify(target)} pointing outside the code ` +
              `directory; rebuild the zip with the file itself.`,
          );
        }
      }
    }
  } catch (error) {
    if (error instanceof PackageError) throw error;
    refuse(`is not a usable zip: ${(error as Error).message}.`);
  } finally {
    zip.close();
  }
  const crc = new Crc64();
  let bytes = 0;
  for await (const chunk of createReadStream(zipPath) as AsyncIterable<Buffer>) {
    crc.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, files, checksum: crc.digest(), envFiles };
}

function isSymlink(entry: yauzl.Entry): boolean {
  return (
    entry.versionMadeBy >> 8 === MADE_BY_UNIX && ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK
  );
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
