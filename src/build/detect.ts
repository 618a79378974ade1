import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Language } from '../config/schema.js';
import { BuildError } from './errors.js';

export type Ecosystem = 'python' | 'nodejs';

/** What a code directory needs installed, and from which files. */
export interface BuildRecipe {
  ecosystem: Ecosystem;
  /** The file the dependencies come from, relative to the code directory, for messages. */
  manifest: string;
  /**
   * The requirement lines to install (python) or the files `npm ci` reads (nodejs), by name; their
   * content is the cache key.
   */
  inputs: Record<string, string>;
  /** The directory the install fills, stored in the zip under the same name (`/code/<dir>` at runtime). */
  outDir: 'python' | 'node_modules';
}

/** Either something to build, or why there is nothing to build. */
export type Detection = { recipe: BuildRecipe } | { nothing: string };

const NPM_LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json'];

/**
 * Decides what `codeDir` needs, as `s build` does: python installs `requirements.txt` (or the
 * `[project] dependencies` of `pyproject.toml`) into `python/`; nodejs runs `npm ci --omit=dev` for a
 * `package.json` with dependencies into `node_modules/`. A directory that already holds that output
 * (built by an earlier step) is packaged as it is.
 */
export async function detectBuild(codeDir: string, language: Language): Promise<Detection> {
  const read = (name: string) => readFile(path.join(codeDir, name), 'utf8').catch(() => undefined);
  const isDir = (name: string) =>
    stat(path.join(codeDir, name)).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
  if (language.startsWith('python')) {
    if (await isDir('python')) return { nothing: 'python/ is already in code.src, packaged as it is' };
    const requirements = await read('requirements.txt');
    if (requirements !== undefined) {
      return recipe('python', 'requirements.txt', { 'requirements.txt': requirements });
    }
    const pyproject = await read('pyproject.toml');
    if (pyproject === undefined) return { nothing: 'no requirements.txt or pyproject.toml' };
    const dependencies = projectDependencies(pyproject);
    if (dependencies.length === 0) return { nothing: 'pyproject.toml lists no [project] dependencies' };
    return recipe('python', 'pyproject.toml', { 'requirements.txt': `${dependencies.join('\n')}\n` });
  }
  if (language.startsWith('nodejs')) {
    if (await isDir('node_modules')) {
      return { nothing: 'node_modules/ is already in code.src, packaged as it is' };
    }
    const manifest = await read('package.json');
    if (manifest === undefined) return { nothing: 'no package.json' };
    if (!hasDependencies(manifest)) return { nothing: 'package.json has no dependencies' };
    for (const lockfile of NPM_LOCKFILES) {
      const lock = await read(lockfile);
      if (lock === undefined) continue;
      const inputs: Record<string, string> = { 'package.json': manifest, [lockfile]: lock };
      // A project .npmrc (a private registry, scoped registries) applies to the install as well.
      const npmrc = await read('.npmrc');
      if (npmrc !== undefined) inputs['.npmrc'] = npmrc;
      return recipe('nodejs', 'package.json', inputs);
    }
    // `npm install` would resolve versions anew on every build: what is deployed would not be what was
    // tested, and there would be nothing stable to key the cache on.
    throw new BuildError(
      `${path.join(codeDir, 'package.json')} has dependencies but no package-lock.json: run ` +
        '`npm install --package-lock-only` and commit the lockfile, so the deploy installs exactly the ' +
        'versions you tested (`npm ci`).',
    );
  }
  return { nothing: `dependencies are not built for ${language}` };
}

function recipe(ecosystem: Ecosystem, manifest: string, inputs: Record<string, string>): Detection {
  return {
    recipe: { ecosystem, manifest, inputs, outDir: ecosystem === 'python' ? 'python' : 'node_modules' },
  };
}

function hasDependencies(manifest: string): boolean {
  try {
    const json = JSON.parse(manifest) as { dependencies?: Record<string, string> };
    return Object.keys(json.dependencies ?? {}).length > 0;
  } catch (error) {
    throw new BuildError(`package.json is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The `dependencies` array of pyproject.toml's `[project]` table (PEP 621). Only that one key is read,
 * so a small reader of TOML strings and arrays is enough; anything it does not understand is an error
 * rather than a silently empty list.
 */
export function projectDependencies(toml: string): string[] {
  const table = /^\[project\][ \t]*(?:#.*)?$/m.exec(toml);
  if (!table) return [];
  const rest = toml.slice(table.index + table[0].length);
  const body = rest.slice(0, /^\s*\[/m.exec(rest)?.index ?? rest.length);
  const key = /^[ \t]*dependencies[ \t]*=[ \t]*\[/m.exec(body);
  if (!key) return [];
  const dependencies: string[] = [];
  const value = /\s*(?:#[^\n]*\s*)*(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|(\]))\s*,?/y;
  value.lastIndex = key.index + key[0].length;
  for (;;) {
    const match = value.exec(body);
    if (!match)
      throw new BuildError('pyproject.toml: cannot read [project] dependencies as a list of strings.');
    if (match[3]) return dependencies;
    dependencies.push(match[1] !== undefined ? (JSON.parse(`"${match[1]}"`) as string) : match[2]!);
  }
}
