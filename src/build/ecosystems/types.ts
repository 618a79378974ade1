import type { Language } from '../../config/schema.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** The families of `code.language` whose builds differ: each is one module of this folder. */
export type Ecosystem = 'python' | 'nodejs' | 'java';

/** Paths as the build sees them: on the runner, or inside the build container. */
export interface InstallPaths {
  /** The user's code directory (read only). */
  code: string;
  /** The build's own directory: the build writes here. */
  out: string;
}

/** What a code directory needs built, and from which files. */
export interface BuildRecipe {
  ecosystem: Ecosystem;
  /** The file the build starts from, relative to the code directory, for messages. */
  manifest: string;
  /** What runs, for the log: `pip install`, `npm ci`, `mvn package`. */
  tool: string;
  /** What the build reads, by name (file contents, or digests of sources): their content is the cache key. */
  inputs: Record<string, string>;
  /** The directory the build fills, stored in the zip under the same path (`/code/<dir>` at runtime). */
  outDir: string;
}

/** Either something to build, or why there is nothing to build. */
export type Detection = { recipe: BuildRecipe } | { nothing: string };

/** One agent's code, as detection sees it. */
export interface DetectRequest {
  codeDir: string;
  language: Language;
  /** The s.yaml's `code.command`: Java packages what it names. */
  command: readonly string[];
}

/** What the install command line depends on besides the recipe. */
export interface InstallOptions {
  paths: InstallPaths;
  /** The runner's environment (MAVEN_ARGS). */
  env: Env;
  /** The tool's download cache, where the build should keep it (the container's mount); undefined: its own default. */
  cacheDir?: string;
  /** The runner's configuration files the tool reads, by role (`settings.xml`), as paths the build sees. */
  configFiles: Readonly<Record<string, string>>;
}

/** A configuration file of the runner's that the build reads too (setup-node's `.npmrc`, setup-java's `settings.xml`). */
export interface ConfigFile {
  /** What it is, for the cache key and the install options: `npm userconfig`, `settings.xml`. */
  role: string;
  path: string;
  /** Named explicitly (by a variable): a missing file is an error, not a file the runner does not have. */
  required: boolean;
}

/**
 * Everything a language family provides to be built. The builder, the docker command line, the
 * environment, the cache and the packaging go through these fields only, so a new family is a new module
 * and one entry in ECOSYSTEMS.
 */
export interface EcosystemBuild {
  /** `code.language` values of this family start with it: `python` for python3.12. */
  languagePrefix: string;
  /** Decides what the code directory needs; throws BuildError for a project it refuses. */
  detect(request: DetectRequest): Promise<Detection>;
  /** Copies or writes what the build reads into the build directory, so the user's tree stays untouched. */
  prepare(recipe: BuildRecipe, codeDir: string, outDir: string): Promise<void>;
  /** The build's command line. */
  installArgv(recipe: BuildRecipe, options: InstallOptions): string[];
  /** Where the build runs: the code directory or the build directory. */
  installCwd(recipe: BuildRecipe, paths: InstallPaths): string;
  /** After a successful build: leaves exactly what is packaged in `<outDir>/<recipe.outDir>`. */
  collect(recipe: BuildRecipe, outDir: string): Promise<void>;
  /** Prints the runtime's version on the runner, to compare with the runtime's (`python3 -c …`). */
  versionArgv: readonly string[];
  /** The version in what `versionArgv` printed (stdout and stderr): `3.12.4`, `20.11.1`, `17.0.15`. */
  parseVersion(output: string): string | undefined;
  /** The runner's download cache the build shares, on the runner; mounted at /cache/<name> in a container. */
  cache: { name: string; hostDir(env: Env, home: string): string };
  /** Variables of the runner's environment the build is given (index URLs, tokens, options). */
  passedEnv: readonly RegExp[];
  /** Those of them whose values can hold credentials (`https://user:token@host/simple`), to mask. */
  secretEnv: readonly RegExp[];
  /** The runner's configuration files the tool would read (existing ones are used). */
  configFiles(env: Env, codeDir: string): ConfigFile[];
  /** Variables a configuration file (or a project file among the inputs) refers to, which the build needs. */
  referencedVariables(text: string): string[];
  /** Credentials written into a configuration file as they are, to mask. */
  literalSecrets(text: string): string[];
  /** Lines of the tool's output that say why it failed. */
  failureLine: RegExp;
  /** Environment variables the runtime needs to find what was built, with the value the build implies. */
  runtimeVariables: Readonly<Record<string, string>>;
}
