import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore from 'ignore';
import { PackageError } from './errors.js';

/** Ignore files read from the root of the code directory, in gitignore syntax (as `s deploy` reads them). */
export const IGNORE_FILES = ['.arignore', '.fcignore'] as const;

/**
 * Never packaged, whatever the ignore files say (a `!` rule cannot bring them back):
 * - `.git` (directory, or the file a submodule or worktree has) — history has no place in a runtime;
 * - every `.env*` file or directory at any depth — `.env`, `.env.local`, `.env.example`, `.envrc`, a
 *   virtualenv called `.env/` — because these hold secrets far more often than code; deploy-time
 *   variables belong in `environmentVariables`, not in the zip;
 * - `node_modules/.cache/` — build caches (babel, eslint, webpack) that only bloat the package;
 * - the ignore files themselves — deploy-time instructions, not runtime code.
 */
const ALWAYS_EXCLUDED = ['.git', '.env*', '**/node_modules/.cache/', ...IGNORE_FILES];

/** Decides which relative paths (`/`-separated; directories end in `/`) stay out of the zip. */
export interface ExclusionRules {
  /** Excluded by the built-in list: also checked for the targets of symlinks. */
  isAlwaysExcluded(relPath: string): boolean;
  isExcluded(relPath: string): boolean;
}

/** Reads `.arignore` and `.fcignore` from `root` (either may be absent) and adds the built-in list. */
export async function loadExclusionRules(root: string): Promise<ExclusionRules> {
  // Case-insensitive so `.ENV` or `.Git/` cannot slip through on case-insensitive file systems.
  const always = ignore({ ignorecase: true }).add(ALWAYS_EXCLUDED);
  const user = ignore();
  for (const name of IGNORE_FILES) user.add(await readIgnoreFile(path.join(root, name)));
  return {
    isAlwaysExcluded: (relPath) => always.ignores(relPath),
    isExcluded: (relPath) => always.ignores(relPath) || user.ignores(relPath),
  };
}

/** Ample for any list of patterns; bounds what a hostile link (to /dev/zero, say) could make us read. */
const MAX_IGNORE_FILE_BYTES = 1024 * 1024;

/** An ignore file's text, '' when absent; refuses anything but a regular file of sane size. */
async function readIgnoreFile(file: string): Promise<string> {
  const stats = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new PackageError(`Cannot read ${file}: ${error.code}.`);
  });
  if (!stats) return '';
  if (!stats.isFile()) throw new PackageError(`${file} must be a regular file of ignore patterns.`);
  if (stats.size > MAX_IGNORE_FILE_BYTES) {
    throw new PackageError(
      `${file} is over ${MAX_IGNORE_FILE_BYTES} bytes; an ignore file is a list of patterns.`,
    );
  }
  return readFile(file, 'utf8');
}
