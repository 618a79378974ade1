import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BuildError } from '../errors.js';
import { alreadyThere, reader } from './files.js';
import type { BuildRecipe, EcosystemBuild } from './types.js';

const OUT_DIR = 'python';
const REQUIREMENTS = 'requirements.txt';

/**
 * Python, as `s build` installs it: `requirements.txt` (or the `[project] dependencies` of
 * `pyproject.toml`) with pip into `python/`, found at runtime through PYTHONPATH.
 */
export const python = {
  languagePrefix: 'python',

  async detect({ codeDir }) {
    const { read, isDir } = reader(codeDir);
    if (await isDir(OUT_DIR)) return { nothing: alreadyThere(OUT_DIR) };
    const requirements = await read(REQUIREMENTS);
    if (requirements !== undefined) return recipe(REQUIREMENTS, requirements);
    const pyproject = await read('pyproject.toml');
    if (pyproject === undefined) return { nothing: 'no requirements.txt or pyproject.toml' };
    const dependencies = projectDependencies(pyproject);
    if (dependencies.length === 0) return { nothing: 'pyproject.toml lists no [project] dependencies' };
    return recipe('pyproject.toml', `${dependencies.join('\n')}\n`);
  },

  async prepare(recipe, _codeDir, outDir) {
    // pyproject.toml's list is written to the build directory as a requirements file.
    if (recipe.manifest !== REQUIREMENTS) {
      await writeFile(path.join(outDir, REQUIREMENTS), recipe.inputs[REQUIREMENTS]!);
    }
  },

  /**
   * `--no-compile` leaves out `.pyc` files, which embed timestamps and the builder's Python version and
   * would make the zip differ between two builds of the same requirements.
   */
  installArgv: (recipe, { paths, cacheDir }) => [
    'python3',
    '-m',
    'pip',
    'install',
    '--disable-pip-version-check',
    '--no-input',
    '--no-compile',
    ...(cacheDir ? ['--cache-dir', cacheDir] : []),
    '--target',
    `${paths.out}/${OUT_DIR}`,
    '--requirement',
    `${recipe.manifest === REQUIREMENTS ? paths.code : paths.out}/${REQUIREMENTS}`,
  ],

  // In the code directory, so relative paths in requirements.txt (`./wheels/…`, `-r base.txt`) mean
  // what they mean to the user.
  installCwd: (_recipe, paths) => paths.code,

  collect: async () => undefined,

  versionArgv: ['python3', '-c', 'import platform; print(platform.python_version())'],
  parseVersion: (output) => /(\d+\.\d+\.\d+)/.exec(output)?.[1],

  cache: {
    name: 'pip',
    hostDir: (env, home) =>
      env.PIP_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'pip'),
  },

  // Every PIP_* variable (index URLs, trusted hosts, find-links, certificates, PIP_CONFIG_FILE) but
  // where pip writes: the runner's values would point nowhere in a container.
  passedEnv: [/^PIP_(?!CACHE_DIR$|TARGET$)/],
  secretEnv: [/^PIP_(EXTRA_)?INDEX_URL$/, /^PIP_CLIENT_CERT$/],
  configFiles: (env) =>
    env.PIP_CONFIG_FILE ? [{ role: 'pip config', path: env.PIP_CONFIG_FILE, required: true }] : [],
  referencedVariables: () => [],
  // `index-url = https://user:token@host/simple` in a pip.conf.
  literalSecrets: (text) =>
    [...text.matchAll(/^\s*(?:extra-)?index-url\s*[=:]\s*(\S*:\/\/[^\s/]*@\S*)\s*$/gm)].map((m) => m[1]!),
  failureLine: /^ERROR:/,
  runtimeVariables: { PYTHONPATH: `/code/${OUT_DIR}` },
} satisfies EcosystemBuild;

function recipe(manifest: string, requirements: string): { recipe: BuildRecipe } {
  return {
    recipe: {
      ecosystem: 'python',
      manifest,
      tool: 'pip install',
      inputs: { [REQUIREMENTS]: requirements },
      outDir: OUT_DIR,
    },
  };
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
