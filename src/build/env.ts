import { readFile } from 'node:fs/promises';
import { BuildError } from './errors.js';
import { ECOSYSTEMS, type BuildRecipe, type ConfigFile, type Env } from './ecosystems/index.js';

/** Values that can hold credentials in any ecosystem, masked in every log line. */
const SECRET = [/TOKEN/i, /PASSWORD/i];

/**
 * Variables that name a CA bundle the runner trusts (a TLS-inspecting proxy's, a private index's).
 * The file is mounted at the same path in the build container, so it trusts the same.
 */
const CA_FILES = ['NODE_EXTRA_CA_CERTS', 'PIP_CERT', 'SSL_CERT_FILE', 'REQUESTS_CA_BUNDLE'];

export interface BuildEnvironment {
  /** Names to hand to the build container (their values stay in the environment, not in the argv). */
  passed: string[];
  /** Values to mask before anything is printed. */
  secrets: string[];
  /** Files to mount where they are: CA bundles the passed variables name, and the tool's configuration. */
  sharedFiles: string[];
  /** The tool's configuration files that exist, by role. */
  configFiles: Record<string, string>;
  /** Their contents, by role, for the cache key. */
  configContents: Record<string, string>;
}

/**
 * What of the runner's environment reaches the build, and what of it must be masked: the ecosystem's
 * variables, the CA bundles, the runner's configuration files for the tool (setup-node's user .npmrc,
 * PIP_CONFIG_FILE, setup-java's settings.xml) and the variables they, or a project .npmrc, refer to.
 */
export async function buildEnvironment(
  env: Env,
  recipe: BuildRecipe,
  codeDir: string,
): Promise<BuildEnvironment> {
  const ecosystem = ECOSYSTEMS[recipe.ecosystem];
  const configs = await readConfigFiles(ecosystem.configFiles(env, codeDir));
  const texts = [...Object.values(configs).map((config) => config.text), ...Object.values(recipe.inputs)];
  const referenced = new Set(texts.flatMap((text) => ecosystem.referencedVariables(text)));
  const passed = Object.keys(env)
    .filter((name) => env[name])
    .filter(
      (name) =>
        ecosystem.passedEnv.some((pattern) => pattern.test(name)) ||
        CA_FILES.includes(name) ||
        referenced.has(name),
    )
    .sort();
  const secrets = passed
    .filter(
      (name) =>
        referenced.has(name) || [...SECRET, ...ecosystem.secretEnv].some((pattern) => pattern.test(name)),
    )
    .map((name) => env[name]!);
  const caFiles = passed.filter((name) => CA_FILES.includes(name)).map((name) => env[name]!);
  const configPaths = Object.values(configs).map((config) => config.path);
  return {
    passed,
    secrets: [...new Set([...secrets, ...texts.flatMap((text) => ecosystem.literalSecrets(text))])],
    sharedFiles: [...new Set([...caFiles, ...configPaths])],
    configFiles: Object.fromEntries(Object.entries(configs).map(([role, config]) => [role, config.path])),
    configContents: Object.fromEntries(Object.entries(configs).map(([role, config]) => [role, config.text])),
  };
}

/** The configuration files that exist, by role; one named explicitly that does not is an error. */
async function readConfigFiles(
  files: readonly ConfigFile[],
): Promise<Record<string, { path: string; text: string }>> {
  const found: Record<string, { path: string; text: string }> = {};
  for (const file of files) {
    const text = await readFile(file.path, 'utf8').catch(() => undefined);
    if (text !== undefined) found[file.role] = { path: file.path, text };
    else if (file.required) {
      throw new BuildError(
        `The ${file.role} file ${file.path} cannot be read: make it exist before the deploy step, or unset the variable that names it.`,
      );
    }
  }
  return found;
}
