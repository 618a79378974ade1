import type { BuildRecipe } from './detect.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Settings a private index needs: for pip every `PIP_*` variable (index URLs, trusted hosts,
 * find-links, certificates); for npm the registries and setup-node's `NODE_AUTH_TOKEN`. npm's other
 * `npm_config_*` variables are left out: `npm run` sets dozens of them with paths of the runner's npm.
 */
const PASSED: Record<BuildRecipe['ecosystem'], RegExp[]> = {
  python: [/^PIP_/],
  nodejs: [/^npm_config_registry$/i, /^npm_config_@[^:]+:registry$/i, /^NODE_AUTH_TOKEN$/],
};

/** Values that can hold credentials (`https://user:token@host/simple`), masked in every log line. */
const SECRET = [/^PIP_(EXTRA_)?INDEX_URL$/, /registry$/i, /TOKEN/i, /PASSWORD/i, /^PIP_CLIENT_CERT$/];

/**
 * Variables that name a CA bundle the runner trusts (a TLS-inspecting proxy's, a private index's).
 * The file is mounted at the same path in the build container, so it trusts the same.
 */
const CA_FILES = ['NODE_EXTRA_CA_CERTS', 'PIP_CERT', 'SSL_CERT_FILE', 'REQUESTS_CA_BUNDLE'];

/** Where the build container gets its pip and npm caches; the runner's own values would point nowhere. */
const SET_BY_BUILD = new Set(['PIP_CACHE_DIR', 'PIP_TARGET']);

export interface BuildEnvironment {
  /** Names to hand to the build container (their values stay in the environment, not in the argv). */
  passed: string[];
  /** Values to mask before anything is printed. */
  secrets: string[];
  /** CA bundles the passed variables name, to mount where they are. */
  caFiles: string[];
}

/** What of the runner's environment reaches the install, and what of it must be masked. */
export function buildEnvironment(env: Env, recipe: BuildRecipe): BuildEnvironment {
  const referenced = npmrcVariables(recipe.inputs['.npmrc'] ?? '');
  const passed = Object.keys(env)
    .filter((name) => env[name] && !SET_BY_BUILD.has(name))
    .filter(
      (name) =>
        PASSED[recipe.ecosystem].some((pattern) => pattern.test(name)) ||
        CA_FILES.includes(name) ||
        referenced.has(name),
    )
    .sort();
  const secrets = passed
    .filter((name) => referenced.has(name) || SECRET.some((pattern) => pattern.test(name)))
    .map((name) => env[name]!);
  const caFiles = [...new Set(passed.filter((name) => CA_FILES.includes(name)).map((name) => env[name]!))];
  return { passed, secrets: [...secrets, ...npmrcSecrets(recipe.inputs['.npmrc'] ?? '')], caFiles };
}

/** `${NAME}` references in an .npmrc, which npm fills in from the environment. */
function npmrcVariables(npmrc: string): Set<string> {
  return new Set([...npmrc.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1]!));
}

/** Credentials written into an .npmrc as they are (`//host/:_authToken=…`). */
function npmrcSecrets(npmrc: string): string[] {
  return [...npmrc.matchAll(/^\s*\S*:?_(?:authToken|auth|password)\s*=\s*(.+?)\s*$/gm)]
    .map((match) => match[1]!)
    .filter((value) => !/^\$\{[^}]+\}$/.test(value));
}
