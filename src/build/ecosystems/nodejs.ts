import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { BuildError } from '../errors.js';
import { alreadyThere, reader } from './files.js';
import type { EcosystemBuild } from './types.js';

const OUT_DIR = 'node_modules';
const USERCONFIG = 'npm userconfig';
const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json'];

/**
 * Node.js: `npm ci --omit=dev` for a `package.json` with dependencies and a lockfile, into
 * `node_modules/`, which Node finds next to the code.
 */
export const nodejs = {
  languagePrefix: 'nodejs',

  async detect({ codeDir }) {
    const { read, isDir } = reader(codeDir);
    if (await isDir(OUT_DIR)) return { nothing: alreadyThere(OUT_DIR) };
    const manifest = await read('package.json');
    if (manifest === undefined) return { nothing: 'no package.json' };
    if (!hasDependencies(manifest)) return { nothing: 'package.json has no dependencies' };
    for (const lockfile of LOCKFILES) {
      const lock = await read(lockfile);
      if (lock === undefined) continue;
      const inputs: Record<string, string> = { 'package.json': manifest, [lockfile]: lock };
      // A project .npmrc (a private registry, scoped registries) applies to the install as well.
      const npmrc = await read('.npmrc');
      if (npmrc !== undefined) inputs['.npmrc'] = npmrc;
      return {
        recipe: { ecosystem: 'nodejs', manifest: 'package.json', tool: 'npm ci', inputs, outDir: OUT_DIR },
      };
    }
    // `npm install` would resolve versions anew on every build: what is deployed would not be what was
    // tested, and there would be nothing stable to key the cache on.
    throw new BuildError(
      `${path.join(codeDir, 'package.json')} has dependencies but no package-lock.json: run ` +
        '`npm install --package-lock-only` and commit the lockfile, so the deploy installs exactly the ' +
        'versions you tested (`npm ci`).',
    );
  },

  // npm writes next to package.json, so it runs in the build directory, where the inputs are copied.
  async prepare(recipe, codeDir, outDir) {
    for (const name of Object.keys(recipe.inputs))
      await copyFile(path.join(codeDir, name), path.join(outDir, name));
  },

  installArgv: (_recipe, { paths, cacheDir, configFiles }) => [
    'npm',
    'ci',
    '--omit=dev',
    '--no-audit',
    '--no-fund',
    ...(cacheDir ? ['--cache', cacheDir] : []),
    ...(configFiles[USERCONFIG] ? ['--userconfig', configFiles[USERCONFIG]] : []),
    '--prefix',
    paths.out,
  ],
  installCwd: (_recipe, paths) => paths.out,
  collect: async () => undefined,

  versionArgv: ['node', '-p', 'process.versions.node'],
  parseVersion: (output) => /(\d+\.\d+\.\d+)/.exec(output)?.[1],

  cache: {
    name: 'npm',
    hostDir: (env, home) => env.npm_config_cache || env.NPM_CONFIG_CACHE || path.join(home, '.npm'),
  },

  // The registries and setup-node's NODE_AUTH_TOKEN. npm's other `npm_config_*` variables are left out:
  // `npm run` sets dozens of them with paths of the runner's npm.
  passedEnv: [/^npm_config_registry$/i, /^npm_config_@[^:]+:registry$/i, /^NODE_AUTH_TOKEN$/],
  // A registry URL can carry credentials (`https://user:token@host/`).
  secretEnv: [/registry$/i],
  // The user .npmrc setup-node writes (registry-url) and points NPM_CONFIG_USERCONFIG at.
  configFiles: (env) => {
    const file = env.NPM_CONFIG_USERCONFIG || env.npm_config_userconfig;
    return file ? [{ role: USERCONFIG, path: file, required: true }] : [];
  },
  // `${NAME}` references, which npm fills in from the environment.
  referencedVariables: (npmrc) => [...npmrc.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!),
  // `//host/:_authToken=…` written as it is.
  literalSecrets: (npmrc) =>
    [...npmrc.matchAll(/^\s*\S*:?_(?:authToken|auth|password)\s*=\s*(.+?)\s*$/gm)]
      .map((match) => match[1]!)
      .filter((value) => !/^\$\{[^}]+\}$/.test(value)),
  failureLine: /^npm (error|ERR!)/,
  runtimeVariables: {},
} satisfies EcosystemBuild;

function hasDependencies(manifest: string): boolean {
  try {
    const json = JSON.parse(manifest) as { dependencies?: Record<string, string> };
    return Object.keys(json.dependencies ?? {}).length > 0;
  } catch (error) {
    throw new BuildError(`package.json is not valid JSON: ${(error as Error).message}`);
  }
}
