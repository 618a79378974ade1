import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
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
