import { createHash, type Hash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { readError } from './errors.js';
import { inspectZip } from './ready.js';
import { resolveCodeSource, type CodeSourceOptions } from './source.js';
import { listCodeFiles, type FileEntry } from './walk.js';
import { WHOLE_FILE_LIMIT } from './zip.js';

/**
 * Bumped when what the fingerprint covers changes, so that a fingerprint recorded by an older release
 * never matches by accident.
 */
const FORMAT = 'agentrun-code 1';

/**
 * A digest of the code `packageCode` would ship, computed without compressing anything: for a
 * directory, every packaged file's name, mode (as stored: 644 or 755), size and SHA-256, chosen by
 * exactly the same rules (`.arignore`, `.fcignore`, never `.git`, `.env*`, `node_modules/.cache`,
 * symlinks dereferenced); for a ready `.zip`, its bytes. Equal fingerprints mean the same package
 * content, so a deploy can compare it with the one recorded on the published version and skip
 * packaging; any changed, added, removed or renamed file changes it. Mtimes, owners and the order of
 * directory listings do not count, as they do not reach the zip either.
 *
 * Refuses what `packageCode` refuses (code outside the workspace, escaping symlinks…) with the same
 * errors. Returns 64 hex digits (SHA-256).
 */
export async function treeFingerprint(options: CodeSourceOptions): Promise<string> {
  const source = await resolveCodeSource(options);
  const digest = createHash('sha256').update(`${FORMAT} ${source.kind}\n`);
  if (source.kind === 'zip') {
    await inspectZip(source.path);
    await hashStream(source.path, digest);
    return digest.digest('hex');
  }
  const { files } = await listCodeFiles(source.path);
  for (const file of files) {
    const { size, sha256 } = await hashFile(file);
    digest.update(`${JSON.stringify(file.name)} ${file.mode.toString(8)} ${size} ${sha256}\n`);
  }
  return digest.digest('hex');
}

async function hashFile(file: FileEntry): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  try {
    // Small files are read in one synchronous call, as for the zip: cheaper than a thread-pool round trip.
    if (file.size <= WHOLE_FILE_LIMIT) {
      const content = readFileSync(file.source);
      return { size: content.length, sha256: hash.update(content).digest('hex') };
    }
    const size = await hashStream(file.source, hash);
    return { size, sha256: hash.digest('hex') };
  } catch (error) {
    throw readError(file, error);
  }
}

/** Feeds a file to `hash` in chunks; returns its size. */
async function hashStream(filePath: string, hash: Hash): Promise<number> {
  let size = 0;
  for await (const chunk of createReadStream(filePath) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return size;
}
