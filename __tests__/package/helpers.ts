import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';

/** A fresh directory under the OS temp dir, removed when the test file finishes. */
export async function tempDir(prefix = 'agentrun-pkg-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `files` (relative path → content) under `root`, creating parent directories. */
export async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), content);
  }
}

export interface ZipListing {
  name: string;
  /** Unix permission bits from the external attributes. */
  mode: number;
  content: string;
  bytes: Buffer;
  /** 0 stored, 8 deflated. */
  method: number;
  /** The CRC-32 the zip records, to check against the content. */
  crc32: number;
}

/** Reads every entry of a zip with yauzl, an implementation independent of the one that wrote it. */
export async function readZip(zipPath: string): Promise<ZipListing[]> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  const entries: ZipListing[] = [];
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    entries.push({
      name: entry.fileName,
      mode: (entry.externalFileAttributes >>> 16) & 0o7777,
      content: bytes.toString('utf8'),
      bytes,
      method: entry.compressionMethod,
      crc32: entry.crc32,
    });
  }
  return entries;
}

export interface RawEntry {
  name: string;
  data?: string;
  /** Unix mode with type bits, e.g. 0o120777 for a symlink. Default a regular 0o644 file. */
  mode?: number;
}

/**
 * A stored (uncompressed) zip with exactly the names given, even hostile ones that a real archiver
 * would clean up: for testing what a ready zip may not contain.
 */
export function rawZip(entries: RawEntry[]): Buffer {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { name, data = '', mode = 0o100644 } of entries) {
    const nameBytes = Buffer.from(name);
    const content = Buffer.from(data);
    const fields = Buffer.alloc(26);
    fields.writeUInt16LE(20, 0); // version needed
    fields.writeUInt16LE(0x0800, 2); // UTF-8 names
    fields.writeUInt32LE(crc32(content), 10);
    fields.writeUInt32LE(content.length, 14);
    fields.writeUInt32LE(content.length, 18);
    fields.writeUInt16LE(nameBytes.length, 22);
    const header = Buffer.concat([u32(0x04034b50), fields, nameBytes, content]);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    fields.copy(record, 6, 0, 24);
    record.writeUInt32LE((mode << 16) >>> 0, 38);
    record.writeUInt32LE(offset, 42);
    central.push(record, nameBytes);
    local.push(header);
    offset += header.length;
  }
  const centralBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...local, centralBytes, end]);
}

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}
