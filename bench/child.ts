// One operation per process, so that GNU time measures its wall clock, CPU and peak memory
// alone. Bundled by the packaging suite; run as `node child.mjs <operation> <code dir> <scratch dir>`.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { treeFingerprint } from '../src/package/index.js';

const [operation, src, scratch] = process.argv.slice(2) as [string, string, string];

if (operation === 'fingerprint') {
  await treeFingerprint({ src, baseDir: src });
} else if (operation === 'archiver') {
  // archiver with its defaults: what a deploy tool reaching for the usual library gets. Imported here
  // only, so that loading it is not charged to the other operations.
  const { ZipArchive } = await import('archiver');
  const archive = new ZipArchive();
  const out = path.join(scratch, 'archiver.zip');
  archive.directory(src, false);
  await Promise.all([pipeline(archive, createWriteStream(out)), archive.finalize()]);
  await rm(out);
} else {
  throw new Error(`unknown operation ${operation}`);
}
