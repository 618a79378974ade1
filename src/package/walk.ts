import type { Dirent, Stats } from 'node:fs';
import { readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { PackageError, readError } from './errors.js';
import { loadExclusionRules, type ExclusionRules } from './rules.js';

/** One file to store: its name inside the zip and where its bytes are read from. */
export interface FileEntry {
  /** `/`-separated path relative to the code directory, never absolute, never with `.` or `..` segments. */
  name: string;
  /** Absolute path to read; for a symlink, the resolved target. */
  source: string;
  /** Size when listed; what is read later is what counts. */
  size: number;
  /** 0o755 when the file has any execute bit, else 0o644: umask and owner-only bits must not leak in. */
  mode: number;
}

/** What the walk left out, for the log. */
export interface WalkResult {
  files: FileEntry[];
  excluded: string[];
  /** Sockets, FIFOs and devices: nothing a zip can hold, and reading a FIFO would block. */
  skipped: string[];
}

type Listed =
  | { kind: 'file'; entry: FileEntry }
  | { kind: 'directory'; relPath: string; source: string }
  | { kind: 'excluded'; relPath: string }
  | { kind: 'skipped'; relPath: string };

/**
 * The files of the code directory `root` (a real path) that packaging ships, by its ignore files and
 * the built-in exclusions; refuses a directory with none.
 */
export async function listCodeFiles(root: string): Promise<WalkResult> {
  const result = listFiles(root, await loadExclusionRules(root));
  if (result.files.length === 0) throw new PackageError(`code.src ${root} contains no files to package.`);
  return result;
}

/**
 * Lists the files under `root` (a real path) that go into the zip, sorted by the UTF-8 bytes of their
 * names so the archive does not depend on directory order.
 *
 * Symlinks are dereferenced: the target's content is stored under the link's name. Unzippers differ in
 * how (and whether) they restore links, and a stored link would break if its target were excluded;
 * plain files always extract the same. A link that is broken, loops, resolves outside `root`, points at
 * an always-excluded path (e.g. a `.env` file) or at one of its own parent directories is refused.
 * Sockets, FIFOs and devices are skipped: the caller warns about each.
 *
 * Synchronous on purpose: one thread-pool round trip per file costs more than the system call itself
 * (a 20,000-file tree: about 5x the time), and nothing else useful can run until the list is known.
 */
export function listFiles(root: string, rules: ExclusionRules): WalkResult {
  const result: WalkResult = { files: [], excluded: [], skipped: [] };
  walkDirectory(root, '', new Set([root]), rules, result);
  const keyed = result.files.map((file) => ({ file, key: Buffer.from(file.name, 'utf8') }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  result.files = keyed.map(({ file }) => file);
  return result;
}

function walkDirectory(
  root: string,
  relDir: string,
  ancestors: ReadonlySet<string>,
  rules: ExclusionRules,
  result: WalkResult,
): void {
  let dirents: Dirent[];
  try {
    dirents = readdirSync(path.join(root, relDir), { withFileTypes: true });
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    throw new PackageError(`Cannot list ${JSON.stringify(relDir || '.')} in ${root}: ${code}.`);
  }
  for (const dirent of dirents) {
    const listed = classify(root, relDir, dirent, rules);
    if (listed.kind === 'file') result.files.push(listed.entry);
    else if (listed.kind === 'excluded') result.excluded.push(listed.relPath);
    else if (listed.kind === 'skipped') result.skipped.push(listed.relPath);
    else {
      if (ancestors.has(listed.source)) {
        throw new PackageError(
          `Symlink ${path.join(root, listed.relPath)} points at ${listed.source}, one of its own parent ` +
            `directories; remove it.`,
        );
      }
      walkDirectory(root, listed.relPath, new Set([...ancestors, listed.source]), rules, result);
    }
  }
}

function classify(root: string, relDir: string, dirent: Dirent, rules: ExclusionRules): Listed {
  const relPath = relDir ? `${relDir}/${dirent.name}` : dirent.name;
  assertSafeName(relPath);
  // Checked before a link is resolved, so an ignored link may point anywhere (a virtualenv's
  // bin/python -> /usr/bin/python3). Whether a link names a directory is unknown until then: both forms.
  const excluded = dirent.isSymbolicLink()
    ? rules.isExcluded(relPath) || rules.isExcluded(`${relPath}/`)
    : rules.isExcluded(dirent.isDirectory() ? `${relPath}/` : relPath);
  if (excluded) return { kind: 'excluded', relPath };
  const fullPath = path.join(root, relPath);
  const { source, stats } = dirent.isSymbolicLink()
    ? resolveLink(root, fullPath, rules)
    : { source: fullPath, stats: statEntry(fullPath, relPath) };
  if (stats.isDirectory()) return { kind: 'directory', relPath, source };
  if (!stats.isFile()) return { kind: 'skipped', relPath };
  return {
    kind: 'file',
    entry: { name: relPath, source, size: stats.size, mode: stats.mode & 0o111 ? 0o755 : 0o644 },
  };
}

function statEntry(fullPath: string, relPath: string): Stats {
  try {
    return statSync(fullPath);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    // Node decodes names as UTF-8, replacing invalid bytes; the decoded name then names no file.
    if (code === 'ENOENT' && relPath.includes('\uFFFD')) {
      throw new PackageError(
        `Cannot package ${JSON.stringify(relPath)} in ${path.dirname(fullPath)}: its name is not valid ` +
          `UTF-8. Rename it, or exclude it with .arignore.`,
      );
    }
    throw readError({ name: relPath, source: fullPath }, error);
  }
}

/** The real path and stats of the link's target, or a PackageError naming the link and its target. */
function resolveLink(root: string, link: string, rules: ExclusionRules): { source: string; stats: Stats } {
  const target = readlinkSync(link);
  const refuse = (why: string): never => {
    throw new PackageError(`Symlink ${link} -> ${target} ${why}; replace it with a copy or remove it.`);
  };
  let source: string;
  try {
    source = realpathSync(link);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    return refuse(code === 'ELOOP' ? 'is a loop of symlinks' : 'is broken (its target does not exist)');
  }
  const inside = path.relative(root, source);
  if (inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
    refuse(`resolves to ${source}, outside the code directory ${root}`);
  }
  const stats = statSync(source);
  const insideName = inside.split(path.sep).join('/') + (stats.isDirectory() ? '/' : '');
  // `inside` is empty for a link to the root itself: the caller reports that as a loop.
  if (inside !== '' && rules.isAlwaysExcluded(insideName)) {
    refuse('points at a path that is never packaged (.git, .env*, node_modules/.cache)');
  }
  return { source, stats };
}

/**
 * Entry names come from directory listings joined with `/`, so `..` and absolute paths cannot arise; a
 * backslash can, on POSIX, and unzippers on Windows would read `a\..\..\b` as `a/../../b`. Refuse it.
 */
function assertSafeName(relPath: string): void {
  if (relPath.includes('\\')) {
    throw new PackageError(
      `Cannot package ${JSON.stringify(relPath)}: backslashes in file names are not portable; rename it.`,
    );
  }
}
