import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipArchive } from 'archiver';
import { Crc64 } from './crc64.js';
import type { FileEntry } from './walk.js';

/**
 * Every entry's timestamp. DOS time has no zone; archiver writes it from the UTC fields of this date
 * (`forceLocalTime: false`), so the bytes do not depend on TZ. 2000 rather than 1980: a 1980-01-01 stamp
 * read back as local time west of UTC lands in 1979, which some tools reject.
 */
export const ZIP_ENTRY_DATE = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));

/**
 * zlib's default trade-off. The deflate output also depends on the zlib inside Node, so "byte-identical"
 * holds for one Node version, which is what a re-run of the same workflow uses.
 */
const COMPRESSION_LEVEL = 6;

/** Size and CRC-64 of the bytes written, measured as they stream to disk. */
export interface ZipSummary {
  bytes: number;
  checksum: string;
}

/**
 * Writes `files`, in the order given, to a new zip at `outPath`. Only file entries are stored (no
 * directory entries, so empty directories are not kept): unzippers create parent directories anyway,
 * and directory entries would add mtimes and modes to normalise for nothing.
 */
export async function writeZip(files: readonly FileEntry[], outPath: string): Promise<ZipSummary> {
  const archive = new ZipArchive({
    zlib: { level: COMPRESSION_LEVEL },
    forceLocalTime: false,
    forceZip64: false,
  });
  // archiver reports unreadable or vanished files as warnings; a package silently missing a file is worse.
  archive.on('warning', (error) => archive.destroy(error));
  for (const file of files) {
    // Passing `stats` keeps the queue in this order (without them archiver stats files concurrently);
    // archiver opens each file lazily, so a large tree does not exhaust file descriptors.
    archive.file(file.source, { name: file.name, stats: file.stats, date: ZIP_ENTRY_DATE, mode: file.mode });
  }
  const crc = new Crc64();
  let bytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      crc.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  await Promise.all([pipeline(archive, measure, createWriteStream(outPath)), archive.finalize()]);
  return { bytes, checksum: crc.digest() };
}
