import type { Stats } from 'node:fs';
import { readdir, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { PackageError } from './errors.js';
import type { ExclusionRules } from './rules.js';

/** One file to store: its name inside the zip and where its bytes are read from. */
export interface FileEntry {
  /** `/`-separated path relative to the code directory, never absolute, never with `.` or `..` segments. */
  name: string;
  /** Absolute path to read; for a symlink, the resolved target. */
  source: string;
  stats: Stats;
  /** 0o755 when the file has any execute bit, else 0o644: umask and owner-only bits must not leak in. */
  mode: number;
}

/** What the walk left out, for the log. */
export interface WalkResult {
  files: FileEntry[];
  excluded: string[];
  /** Sockets, FIFOs and devices: nothing a zip can hold. */
  skipped: string[];
}

/**
 * Lists the files under `root` (a real path) that go into the zip, sorted by the UTF-8 bytes of their
 * names so the archive does not depend on directory order.
 *
 * Symlinks are dereferenced: the target's content is stored under the link's name. Unzippers differ in
 * how (and whether) they restore links, and a stored link would break if its target were excluded;
 * plain files always extract the same. A link that is broken, resolves outside `root`, points at an
 * always-excluded path (e.g. a `.env` file) or loops back to one of its own parent directories is refused.
 */
export async function listFiles(root: string, rules: ExclusionRules): Promise<WalkResult> {
  const result: WalkResult = { files: [], excluded: [], skipped: [] };
  await walkDirectory(root, '', new Set([root]), rules, result);
  const keyed = result.files.map((file) => ({ file, key: Buffer.from(file.name, 'utf8') }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  result.files = keyed.map(({ file }) => file);
  return result;
}

async function walkDirectory(
  root: string,
  relDir: string,
  ancestors: ReadonlySet<string>,
  rules: ExclusionRules,
  result: WalkResult,
): Promise<void> {
  const dirents = await readdir(path.join(root, relDir), { withFileTypes: true });
  for (const dirent of dirents) {
    const relPath = relDir ? `${relDir}/${dirent.name}` : dirent.name;
    assertSafeName(relPath);
    // Checked before a link is resolved, so an ignored link may point anywhere (a virtualenv's
    // bin/python -> /usr/bin/python3). Whether a link names a directory is unknown until then: both forms.
    const excluded = dirent.isSymbolicLink()
      ? rules.isExcluded(relPath) || rules.isExcluded(`${relPath}/`)
      : rules.isExcluded(dirent.isDirectory() ? `${relPath}/` : relPath);
    if (excluded) {
      result.excluded.push(relPath);
      continue;
    }
    const fullPath = path.join(root, relPath);
    const { source, stats } = dirent.isSymbolicLink()
      ? await resolveLink(root, fullPath, rules)
      : { source: fullPath, stats: await stat(fullPath) };
    if (stats.isDirectory()) {
      if (ancestors.has(source)) {
        throw new PackageError(`Symlink ${fullPath} points at ${source}, one of its own parent directories.`);
      }
      await walkDirectory(root, relPath, new Set([...ancestors, source]), rules, result);
    } else if (stats.isFile()) {
      result.files.push({ name: relPath, source, stats, mode: stats.mode & 0o111 ? 0o755 : 0o644 });
    } else {
      result.skipped.push(relPath);
    }
  }
}

/** The real path and stats of the link's target, or a PackageError naming the link and its target. */
async function resolveLink(
  root: string,
  link: string,
  rules: ExclusionRules,
): Promise<{ source: string; stats: Stats }> {
  const target = await readlink(link);
  const refuse = (why: string): never => {
    throw new PackageError(`Symlink ${link} -> ${target} ${why}; replace it with a copy or remove it.`);
  };
  const source = await realpath(link).catch(() => refuse('is broken (its target does not exist)'));
  const inside = path.relative(root, source);
  if (inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
    refuse(`resolves to ${source}, outside the code directory ${root}`);
  }
  const stats = await stat(source);
  const insideName = inside.split(path.sep).join('/') + (stats.isDirectory() ? '/' : '');
  // `inside` is empty for a link to the root itself: the caller reports that as a loop.
  if (inside !== '' && rules.isAlwaysExcluded(insideName)) {
    refuse('points at a path that is never packaged (.git, .env*, node_modules/.cache)');
  }
  return { source, stats };
}

/**
 * Entry names come from directory listings joined with `/`, so `..` and absolute paths cannot arise; a
 * backslash can, on POSIX, and archiver would turn `a\..\..\b` into `a/../../b`. Refuse it outright.
 */
function assertSafeName(relPath: string): void {
  if (relPath.includes('\\')) {
    throw new PackageError(
      `Cannot package ${JSON.stringify(relPath)}: backslashes in file names are not portable.`,
    );
  }
}
