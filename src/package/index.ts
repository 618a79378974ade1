import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '../log.js';
import { PackageError, formatBytes } from './errors.js';
import { loadExclusionRules } from './rules.js';
import { inspectZip } from './ready.js';
import { resolveCodeSource, type CodeSourceOptions } from './source.js';
import { listCodeFiles, listFiles, type FileEntry } from './walk.js';
import { writeZip } from './zip.js';

export { PackageError, PackageTooLargeError, formatBytes } from './errors.js';
export { treeFingerprint } from './fingerprint.js';
export { IGNORE_FILES } from './rules.js';
export { ALLOW_OUTSIDE_WORKSPACE, type CodeSourceOptions } from './source.js';

/** A zip ready to send: where it is, its size and its CRC-64 for `codeConfiguration.checksum`. */
export interface CodePackage {
  /** The user's zip, or for `source: 'directory'` a file in a fresh temp directory the caller may delete. */
  zipPath: string;
  bytes: number;
  /** Number of file entries (directories not counted). */
  files: number;
  /** CRC-64 (the OSS variant) of the zip bytes, as a decimal string. */
  checksum: string;
  source: 'directory' | 'zip';
}

export interface PackageOptions extends CodeSourceOptions {
  /** Where the zip is written; default the OS temp dir. The action passes the runner's RUNNER_TEMP, which
   *  the runner empties after the job even when it was cancelled mid-deploy. */
  tempDir?: string;
  logger?: Pick<Logger, 'info' | 'debug' | 'warning'>;
  /** Directories added to a directory's zip under a name, e.g. built dependencies as `python/`. */
  extraDirs?: readonly ExtraDir[];
}

/** A directory stored in the zip under `prefix/`, as if it were that folder of `code.src`. */
export interface ExtraDir {
  dir: string;
  prefix: string;
}

/**
 * Turns `code.src` into a zip to upload. A directory is zipped deterministically (the
 * same tree gives the same bytes whatever the file order, mtimes, umask or TZ), honouring `.arignore`
 * and `.fcignore`; a `.zip` file is checked (no entry may extract outside the code directory) and used
 * as is. Code must come from inside the workspace unless `allowOutsideWorkspace` is set. Throws
 * PackageError for code it refuses.
 */
export async function packageCode(options: PackageOptions): Promise<CodePackage> {
  const source = await resolveCodeSource(options);
  return source.kind === 'directory'
    ? zipDirectory(source.path, options.extraDirs ?? [], options.tempDir ?? tmpdir(), options.logger)
    : useReadyZip(source.path, options.logger);
}

async function zipDirectory(
  root: string,
  extraDirs: readonly ExtraDir[],
  tempRoot: string,
  logger: PackageOptions['logger'],
): Promise<CodePackage> {
  const listed = await listCodeFiles(root);
  const { excluded, skipped } = listed;
  const files = extraDirs.length ? await withExtraDirs(listed.files, extraDirs) : listed.files;
  for (const name of skipped) {
    logger?.warning(`Not packaged: ${JSON.stringify(name)} is a socket, FIFO or device, not a regular file.`);
  }
  if (excluded.length > 0) {
    logger?.debug(`Excluded from the package: ${excluded.map((name) => JSON.stringify(name)).join(', ')}`);
  }
  const tempDir = await mkdtemp(path.join(tempRoot, 'agentrun-code-'));
  const zipPath = path.join(tempDir, 'code.zip');
  try {
    const { bytes, checksum } = await writeZip(files, zipPath);
    logger?.info(
      `Packaged ${files.length} file${files.length === 1 ? '' : 's'} of ${root}: ${formatBytes(bytes)}, CRC-64 ${checksum}`,
    );
    return { zipPath, bytes, files: files.length, checksum, source: 'directory' };
  } catch (error) {
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
}

/** `files` and those of `extraDirs` under their prefixes, in listFiles' order; a name in both is an error. */
async function withExtraDirs(files: FileEntry[], extraDirs: readonly ExtraDir[]): Promise<FileEntry[]> {
  const taken = new Set(files.map((file) => file.name));
  const added: FileEntry[] = [];
  for (const { dir, prefix } of extraDirs) {
    const root = await realpath(dir);
    for (const file of listFiles(root, await loadExclusionRules(root)).files) {
      const name = `${prefix}/${file.name}`;
      if (taken.has(name)) {
        throw new PackageError(`code.src already has ${name}, which the build also produces.`);
      }
      added.push({ ...file, name });
    }
  }
  // Same order as listFiles: by the UTF-8 bytes of the names.
  return [...files, ...added].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

async function useReadyZip(zipPath: string, logger: PackageOptions['logger']): Promise<CodePackage> {
  const { bytes, files, checksum, envFiles } = await inspectZip(zipPath);
  for (const name of envFiles) {
    logger?.warning(`${zipPath} contains ${JSON.stringify(name)}; .env files usually hold secrets.`);
  }
  logger?.info(`Using ${zipPath} as is: ${files} files, ${formatBytes(bytes)}, CRC-64 ${checksum}`);
  return { zipPath, bytes, files, checksum, source: 'zip' };
}
