import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Lookahead, type AheadLimits } from './ahead.js';
import { Crc64 } from './crc64.js';
import { PackageError, readError } from './errors.js';
import { deflaterFor } from './pool.js';
import type { FileEntry } from './walk.js';

/**
 * zlib's default trade-off. The deflate output also depends on the zlib inside Node, so "byte-identical"
 * holds for one Node version, which is what a re-run of the same workflow uses.
 */
const COMPRESSION_LEVEL = 6;

/**
 * Every entry's timestamp, 2000-01-01 00:00:00 in DOS format (which has no zone, so TZ cannot change the
 * bytes). 2000 rather than 1980: a 1980-01-01 stamp read back as local time west of UTC lands in 1979,
 * which some tools reject.
 */
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;
const DOS_TIME = 0;

/** Files up to this size are read and compressed whole, several at once; larger ones are streamed. */
export const WHOLE_FILE_LIMIT = 4 * 1024 * 1024;
/**
 * Bounds on the files read and compressed ahead of the one being written: enough in flight for every
 * worker to have a batch queued behind the one it works on; the byte bound keeps memory flat however
 * large the tree.
 */
const AHEAD: AheadLimits = { items: 256, weight: 8 * 1024 * 1024 };
/** Output is gathered into writes of about this size: one system call per entry would dominate. */
const WRITE_BATCH = 1024 * 1024;

const VERSION_DEFLATE = 20;
const VERSION_ZIP64 = 45;
/** "Made by" Unix (3), so readers take the permission bits from the high half of the external attributes. */
const MADE_BY_UNIX = (3 << 8) | VERSION_ZIP64;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8_NAME = 0x0800;
const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
const S_IFREG = 0o100000;
const UINT32_MAX = 0xffffffff;
const UINT16_MAX = 0xffff;
/** A gzip member is a 10-byte header, the raw deflate stream a zip entry holds, then CRC-32 and size. */
const GZIP_HEADER = 10;
const GZIP_TRAILER = 8;

/** Size and CRC-64 of the bytes written, measured as they go to disk. */
export interface ZipSummary {
  bytes: number;
  checksum: string;
}

interface CentralRecord {
  /** Kept as a string: a small Buffer is a slice of a shared 8 KiB slab, and would keep it alive. */
  name: string;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  mode: number;
  offset: number;
}

/**
 * Writes `files`, in the order given, to a new zip at `outPath`. Only file entries are stored (no
 * directory entries, so empty directories are not kept): unzippers create parent directories anyway,
 * and directory entries would add mtimes and modes to normalise for nothing. Nothing but the name, the
 * normalised mode and the content reaches the bytes.
 *
 * Small files are read and deflated several at a time ahead of the writer, and written with their sizes
 * in the local header; a large file is streamed through deflate and followed by a data descriptor, so
 * memory stays bounded whatever the tree. A file whose deflated form is no smaller is stored as is.
 */
export async function writeZip(files: readonly FileEntry[], outPath: string): Promise<ZipSummary> {
  const out = new ZipOutput(await open(outPath, 'wx'));
  const pool = deflaterFor(
    files.reduce((sum, file) => sum + file.size, 0),
    COMPRESSION_LEVEL,
  );
  try {
    const central: CentralRecord[] = [];
    const ahead = new Lookahead(
      files,
      (file) =>
        file.size <= WHOLE_FILE_LIMIT
          ? pool.deflate(file.source, file.size).catch((error: unknown) => {
              throw readError(file, error);
            })
          : undefined,
      (file) => (file.size <= WHOLE_FILE_LIMIT ? file.size : 0),
      AHEAD,
    );
    for (const [index, file] of files.entries()) {
      const { name, mode } = file;
      const offset = out.offset;
      const deflated = await ahead.take(index);
      if (deflated) {
        const { data, crc32, size } = deflated;
        const method = deflated.stored ? METHOD_STORE : METHOD_DEFLATE;
        const header = { name, flags: FLAG_UTF8_NAME, method, crc32, size, compressedSize: data.length };
        out.push(localHeader(header));
        out.push(data);
        central.push({ ...header, mode, offset });
      } else {
        const flags = FLAG_UTF8_NAME | FLAG_DATA_DESCRIPTOR;
        out.push(localHeader({ name, flags, method: METHOD_DEFLATE, crc32: 0, compressedSize: 0, size: 0 }));
        const streamed = await streamDeflate(file, out);
        central.push({ name, flags, method: METHOD_DEFLATE, ...streamed, mode, offset });
        out.push(dataDescriptor(streamed));
      }
      await out.flushIfFull();
    }
    const centralOffset = out.offset;
    for (const record of central) out.push(centralHeader(record));
    out.push(endOfCentralDirectory(central.length, out.offset - centralOffset, centralOffset));
    await out.flush();
    return { bytes: out.offset, checksum: out.crc.digest() };
  } finally {
    await Promise.all([out.close(), pool.close()]);
  }
}

/** Streams a large file through gzip into `out`, stripping the gzip header and keeping its trailer. */
async function streamDeflate(
  file: FileEntry,
  out: ZipOutput,
): Promise<{ crc32: number; compressedSize: number; size: number }> {
  const start = out.offset;
  const gz = createGzip({ level: COMPRESSION_LEVEL });
  let header = GZIP_HEADER;
  let tail = Buffer.alloc(0);
  await pipeline(createReadStream(file.source), gz, async (deflated: AsyncIterable<Buffer>) => {
    for await (const chunk of deflated) {
      // The last 8 bytes seen may be the trailer: hold them back until more output arrives.
      const bytes = Buffer.concat([tail, chunk.subarray(Math.min(header, chunk.length))]);
      header -= Math.min(header, chunk.length);
      tail = bytes.subarray(Math.max(0, bytes.length - GZIP_TRAILER));
      if (bytes.length > tail.length) out.push(bytes.subarray(0, bytes.length - tail.length));
      await out.flushIfFull();
    }
  }).catch((error: unknown) => {
    throw readError(file, error);
  });
  if (gz.bytesWritten > UINT32_MAX) throw tooLarge(`${file.name} is over 4 GiB`);
  return { crc32: tail.readUInt32LE(0), compressedSize: out.offset - start, size: gz.bytesWritten };
}

function tooLarge(what: string): PackageError {
  return new PackageError(
    `Cannot package: ${what}, more than a zip without ZIP64 sizes holds and far more than can be ` +
      `uploaded inline. Exclude files with .arignore / .fcignore.`,
  );
}

type HeaderFields = Omit<CentralRecord, 'mode' | 'offset'>;

function localHeader(entry: HeaderFields): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(VERSION_DEFLATE, 4);
  writeCommonFields(header, 6, entry);
  header.writeUInt16LE(0, 28); // extra field length
  return Buffer.concat([header, Buffer.from(entry.name)]);
}

function centralHeader(entry: CentralRecord): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(MADE_BY_UNIX, 4);
  header.writeUInt16LE(VERSION_DEFLATE, 6);
  writeCommonFields(header, 8, entry);
  // Extra field length, comment length, disk number and internal attributes stay 0.
  header.writeUInt32LE(((S_IFREG | entry.mode) << 16) >>> 0, 38);
  header.writeUInt32LE(entry.offset, 42);
  return Buffer.concat([header, Buffer.from(entry.name)]);
}

/** Flags through name length: the run of fields local and central headers share. */
function writeCommonFields(header: Buffer, at: number, entry: HeaderFields): void {
  header.writeUInt16LE(entry.flags, at);
  header.writeUInt16LE(entry.method, at + 2);
  header.writeUInt16LE(DOS_TIME, at + 4);
  header.writeUInt16LE(DOS_DATE, at + 6);
  header.writeUInt32LE(entry.crc32, at + 8);
  header.writeUInt32LE(entry.compressedSize, at + 12);
  header.writeUInt32LE(entry.size, at + 16);
  header.writeUInt16LE(Buffer.byteLength(entry.name), at + 20);
}

function dataDescriptor(entry: { crc32: number; compressedSize: number; size: number }): Buffer {
  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(entry.crc32, 4);
  descriptor.writeUInt32LE(entry.compressedSize, 8);
  descriptor.writeUInt32LE(entry.size, 12);
  return descriptor;
}

/**
 * The end records. Past 65,535 entries the count only fits the ZIP64 end record, which is then written
 * before the classic one (whose count says 0xFFFF: "look there").
 */
function endOfCentralDirectory(entries: number, size: number, offset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(entries, UINT16_MAX), 8);
  end.writeUInt16LE(Math.min(entries, UINT16_MAX), 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  if (entries < UINT16_MAX) return end;
  const zip64 = Buffer.alloc(56 + 20);
  zip64.writeUInt32LE(0x06064b50, 0);
  zip64.writeBigUInt64LE(44n, 4); // size of the rest of this record
  zip64.writeUInt16LE(MADE_BY_UNIX, 12);
  zip64.writeUInt16LE(VERSION_ZIP64, 14);
  zip64.writeBigUInt64LE(BigInt(entries), 24);
  zip64.writeBigUInt64LE(BigInt(entries), 32);
  zip64.writeBigUInt64LE(BigInt(size), 40);
  zip64.writeBigUInt64LE(BigInt(offset), 48);
  // The locator, pointing back at the record above.
  zip64.writeUInt32LE(0x07064b50, 56);
  zip64.writeBigUInt64LE(BigInt(offset + size), 64);
  zip64.writeUInt32LE(1, 72); // total number of disks
  return Buffer.concat([zip64, end]);
}

/** The zip file being written: batches writes, counts the bytes and computes their CRC-64 on the way. */
class ZipOutput {
  readonly crc = new Crc64();
  offset = 0;
  private batch: Buffer[] = [];
  private batchBytes = 0;

  constructor(private readonly handle: FileHandle) {}

  push(bytes: Buffer): void {
    if (this.offset + bytes.length > UINT32_MAX) throw tooLarge('the zip grows over 4 GiB');
    this.crc.update(bytes);
    this.batch.push(bytes);
    this.batchBytes += bytes.length;
    this.offset += bytes.length;
  }

  async flushIfFull(): Promise<void> {
    if (this.batchBytes >= WRITE_BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    await this.handle.writev(batch).catch((error: NodeJS.ErrnoException) => {
      throw new PackageError(`Cannot write the zip: ${error.code ?? error.message}.`);
    });
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
