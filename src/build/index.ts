import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Language } from '../config/schema.js';
import type { Logger } from '../log.js';
import { formatBytes } from '../package/errors.js';
import type { Clock } from '../system/clock.js';
import type { CommandRunner, RunResult } from '../system/runner.js';
import { cacheKey, type BuildCache } from './cache.js';
import { formatDuration } from './report.js';
import { dockerRunArgv, installArgv, installCwd, versionArgv } from './commands.js';
import { detectBuild, type BuildRecipe } from './detect.js';
import { buildEnvironment } from './env.js';
import { BuildError } from './errors.js';
import { BUILD_IMAGES, runtimeVersion } from './images.js';
import {
  autoChoice,
  choosePlace,
  isContainerJob,
  type BuildMode,
  type BuildPlace,
  type Surroundings,
} from './mode.js';

export { BuildError } from './errors.js';
export { BUILD_MODES, type BuildMode } from './mode.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The `build`, `build-image`, `cache` and `build-timeout` inputs. */
export interface BuildSettings {
  mode: BuildMode;
  /** Replaces the language's image from BUILD_IMAGES for `build: docker`. */
  image?: string;
  cache: boolean;
  timeoutMs: number;
}

/** What a build runs with. */
export interface BuildContext {
  settings: BuildSettings;
  /** The runner's environment: private index settings come from here. */
  env: Env;
  /** Build directories go under it. */
  tempDir: string;
  logger: Logger;
  runner: CommandRunner;
  cache: BuildCache;
  clock: Clock;
}

/** One agent's code to build for. */
export interface BuildRequest {
  resource: string;
  codeDir: string;
  language: Language;
}

/** Installed dependencies, ready to be added to the code package. */
export interface BuiltDependencies {
  resource: string;
  /** The installed tree, and the name the zip stores it under (`python`, `node_modules`). */
  dir: string;
  prefix: string;
  ecosystem: BuildRecipe['ecosystem'];
  place: BuildPlace;
  /** The image, or `local-3.11.7` / `container-3.12.1`. */
  builder: string;
  cache: 'hit' | 'miss' | 'off';
  key: string;
  ms: number;
  /** Size of the installed files on disk. */
  bytes: number;
}

/** Builds dependencies for one agent after another, sharing what a run learns about its surroundings. */
export class DependencyBuilder {
  private chosen?: Promise<BuildPlace>;
  private readonly built = new Map<string, BuiltDependencies>();

  constructor(private readonly context: BuildContext) {}

  /** Installs `request`'s dependencies, or says in one line why there are none. */
  async build(request: BuildRequest): Promise<BuiltDependencies | undefined> {
    const { logger, settings } = this.context;
    const detection = await detectBuild(request.codeDir, request.language);
    if ('nothing' in detection) {
      logger.info(`${request.resource}: no dependencies to build (${detection.nothing}).`);
      return undefined;
    }
    const { recipe } = detection;
    if (settings.mode === 'skip') {
      logger.info(`${request.resource}: build: skip, ${recipe.manifest} is packaged without installing it.`);
      return undefined;
    }
    const place = await this.place(settings.mode);
    const builder = await this.builder(place, recipe, request);
    const key = cacheKey({
      language: request.language,
      arch: place === 'docker' ? 'x64' : process.arch,
      builder,
      recipe,
    });
    const same = this.built.get(key);
    if (same) return { ...same, resource: request.resource };
    const result = await this.install({ request, recipe, place, builder, key });
    this.built.set(key, result);
    return result;
  }

  /** Removes every build directory. */
  async cleanup(): Promise<void> {
    await rm(path.join(this.context.tempDir, BUILD_ROOT), { recursive: true, force: true });
  }

  /** Where to build, decided once per run; `auto` says what it chose and why. */
  private place(mode: Exclude<BuildMode, 'skip'>): Promise<BuildPlace> {
    this.chosen ??= this.decidePlace(mode);
    return this.chosen;
  }

  private async decidePlace(mode: Exclude<BuildMode, 'skip'>): Promise<BuildPlace> {
    const { env, logger } = this.context;
    if (mode === 'local') return mode;
    if (mode === 'container') {
      if (!isContainerJob(env)) {
        logger.warning(
          "build: container, but this job does not run in a container (jobs.<id>.container): installing with the runner's own tools.",
        );
      }
      return mode;
    }
    const surroundings = { containerJob: isContainerJob(env), docker: await this.docker() };
    const place = choosePlace(mode, surroundings);
    if (mode === 'auto') logger.info(autoChoice(place, surroundings));
    return place;
  }

  /** Whether a Docker daemon answers, and its version or what `docker version` said. */
  private async docker(): Promise<Surroundings['docker']> {
    let output = '';
    const result = await this.context.runner
      .run(['docker', 'version', '--format', '{{.Server.Version}}'], {
        cwd: process.cwd(),
        env: { ...this.context.env },
        onLine: (line) => (output += `${line} `),
        timeoutMs: DOCKER_PROBE_MS,
      })
      .catch((error: Error): RunResult => {
        output = error.message.includes('ENOENT') ? 'the docker command is not installed' : error.message;
        return { exitCode: null, signal: null };
      });
    return result.exitCode === 0
      ? { available: true, version: output.trim() }
      : { available: false, why: output.trim() || 'the Docker daemon does not answer' };
  }

  /** The image, or where and which interpreter; warns when the interpreter is not the runtime's. */
  private async builder(place: BuildPlace, recipe: BuildRecipe, request: BuildRequest): Promise<string> {
    if (place === 'docker') {
      const image = this.context.settings.image ?? BUILD_IMAGES[request.language];
      if (!image) throw new BuildError(`No build image is known for ${request.language}: set build-image.`);
      return image;
    }
    const [tool] = versionArgv(recipe);
    let version = '';
    const result = await this.context.runner
      .run(versionArgv(recipe), {
        cwd: request.codeDir,
        env: { ...this.context.env },
        onLine: (line, stream) => (stream === 'stdout' ? (version = line.trim()) : undefined),
      })
      .catch(() => undefined);
    if (result?.exitCode !== 0 || !version) {
      throw new BuildError(
        `build: ${place} installs with this ${place === 'local' ? 'runner' : 'container'}'s ${tool}, which is not ` +
          `available. Use build: docker, a container job with ${tool} (build: container), or build: skip.`,
      );
    }
    const wanted = runtimeVersion(request.language);
    const matches = version === wanted || version.startsWith(`${wanted}.`);
    if (!matches) {
      this.context.logger.warning(
        `${request.resource}: building with ${tool} ${version}, but the runtime is ${request.language}: ` +
          'compiled packages may fail to import there. Build in Docker (build: docker) or in a container job ' +
          `with ${tool} ${wanted} (build: container).`,
      );
    }
    if (process.arch !== 'x64') {
      this.context.logger.warning(
        `${request.resource}: building on ${process.arch}; the runtime is x86-64, so compiled packages will not load there.`,
      );
    }
    return `${place}-${version}`;
  }

  private async install(build: {
    request: BuildRequest;
    recipe: BuildRecipe;
    place: BuildPlace;
    builder: string;
    key: string;
  }): Promise<BuiltDependencies> {
    const { request, recipe, place, builder, key } = build;
    const { logger, settings, cache, clock } = this.context;
    const started = clock.now();
    const outDir = path.join(this.context.tempDir, BUILD_ROOT, key);
    const dir = path.join(outDir, recipe.outDir);
    await rm(outDir, { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    const done = async (state: BuiltDependencies['cache']): Promise<BuiltDependencies> => {
      const ms = clock.now() - started;
      const result: BuiltDependencies = {
        resource: request.resource,
        dir,
        prefix: recipe.outDir,
        ecosystem: recipe.ecosystem,
        place,
        builder,
        cache: state,
        key,
        ms,
        bytes: await treeBytes(dir),
      };
      logger.info(describe(result));
      return result;
    };

    if (settings.cache && (await this.cached(() => cache.restore(key, dir), 'restore'))) return done('hit');
    // Whatever a failed restore left behind.
    await rm(dir, { recursive: true, force: true });
    await prepare(recipe, request.codeDir, outDir);
    await this.runInstall(build, outDir);
    await mkdir(dir, { recursive: true });
    if (settings.cache) await this.cached(() => cache.save(key, dir).then(() => true), 'save');
    return done(settings.cache ? 'miss' : 'off');
  }

  /** Runs pip or npm, its output folded in a group; throws a BuildError when it fails or times out. */
  private async runInstall(
    {
      request,
      recipe,
      place,
      builder,
    }: { request: BuildRequest; recipe: BuildRecipe; place: BuildPlace; builder: string },
    outDir: string,
  ): Promise<void> {
    const { logger, runner, settings } = this.context;
    const environment = buildEnvironment(this.context.env, recipe);
    for (const secret of environment.secrets) logger.setSecret(secret);
    const container = `agentrun-build-${randomBytes(6).toString('hex')}`;
    const paths = { code: request.codeDir, out: outDir };
    const argv =
      place === 'docker'
        ? dockerRunArgv(recipe, {
            image: builder,
            name: container,
            codeDir: request.codeDir,
            outDir,
            cacheDirs: await this.hostCacheDirs(),
            user:
              process.getuid && process.getgid ? { uid: process.getuid(), gid: process.getgid() } : undefined,
            passEnv: environment.passed,
            sharedFiles: await existing(environment.caFiles),
          })
        : installArgv(recipe, paths);
    const options = {
      cwd: place === 'docker' ? outDir : installCwd(recipe, paths),
      env: { ...this.context.env },
    };
    const tool = recipe.ecosystem === 'python' ? 'pip install' : 'npm ci';
    const output: string[] = [];
    const result = await logger.group(
      `Dependencies of ${request.resource}: ${tool} ${where(place, builder, recipe)}`,
      () => {
        logger.info(argv.join(' '));
        const onLine = (line: string) => {
          output.push(line);
          logger.info(line);
        };
        return runner
          .run(argv, { ...options, timeoutMs: settings.timeoutMs, onLine })
          .catch((error: Error) => {
            throw new BuildError(`${request.resource}: could not start ${argv[0]}: ${error.message}`);
          });
      },
    );
    if (result.timedOut) {
      // Ending the docker client leaves its container running.
      if (place === 'docker')
        await runner.run(['docker', 'rm', '--force', container], options).catch(() => undefined);
      throw new BuildError(
        `${request.resource}: installing dependencies ran past build-timeout (${Math.round(settings.timeoutMs / 1000)} s) ` +
          'and was stopped. Raise build-timeout, or check that the package index answers.',
      );
    }
    if (result.exitCode !== 0) {
      const how = result.signal ? `signal ${result.signal}` : `exit code ${result.exitCode}`;
      const manifest = path.join(request.codeDir, recipe.manifest);
      logger.error(
        `${request.resource}: ${tool} failed (${how}) for ${manifest}:\n${failureLines(output).join('\n')}`,
      );
      throw new BuildError(
        `${request.resource}: its dependencies could not be installed (${tool}, ${how}); nothing was deployed.`,
      );
    }
  }

  /** A cache problem never fails the build: it is a warning, and the install goes ahead. */
  private async cached(action: () => Promise<boolean>, what: string): Promise<boolean> {
    try {
      return await action();
    } catch (error) {
      this.context.logger.warning(`Could not ${what} the dependency cache: ${(error as Error).message}`);
      return false;
    }
  }

  /** The runner's own pip and npm download caches, which the container shares; created if missing. */
  private async hostCacheDirs(): Promise<{ pip: string; npm: string }> {
    const { env } = this.context;
    const home = env.HOME || this.context.tempDir;
    const dirs = {
      pip: env.PIP_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'pip'),
      npm: env.npm_config_cache || env.NPM_CONFIG_CACHE || path.join(home, '.npm'),
    };
    await Promise.all(Object.values(dirs).map((dir) => mkdir(dir, { recursive: true })));
    return dirs;
  }
}

const BUILD_ROOT = 'agentrun-deps';
const DOCKER_PROBE_MS = 20_000;
const FAILURE_LINES = 20;

/** Copies or writes what the install reads into the build directory, so the user's tree stays untouched. */
async function prepare(recipe: BuildRecipe, codeDir: string, outDir: string): Promise<void> {
  if (recipe.ecosystem === 'python') {
    if (recipe.manifest !== 'requirements.txt') {
      await writeFile(path.join(outDir, 'requirements.txt'), recipe.inputs['requirements.txt']!);
    }
    return;
  }
  for (const name of Object.keys(recipe.inputs))
    await copyFile(path.join(codeDir, name), path.join(outDir, name));
}

/** How the install is shown: `in python:3.12-slim-bookworm`, `with the runner's python3 3.11.7`. */
function where(place: BuildPlace, builder: string, recipe: BuildRecipe): string {
  if (place === 'docker') return `in ${builder}`;
  const version = builder.slice(`${place}-`.length);
  return `with the ${place === 'local' ? 'runner' : 'container'}'s ${versionArgv(recipe)[0]} ${version}`;
}

/** The lines of a failed install that say why: pip's `ERROR:` and npm's `npm error`/`npm ERR!` lines. */
export function failureLines(output: readonly string[]): string[] {
  const errors = output.filter((line) => /^(ERROR:|npm (error|ERR!)|error:)/i.test(line.trim()));
  return (errors.length ? errors : output).slice(-FAILURE_LINES);
}

function describe(built: BuiltDependencies): string {
  const seconds = formatDuration(built.ms);
  const what = `${built.prefix}/ ${formatBytes(built.bytes)}`;
  if (built.cache === 'hit')
    return `${built.resource}: dependencies restored from the cache in ${seconds}, no install (${what}; key ${built.key}).`;
  const cache = built.cache === 'miss' ? `cache miss, saved as ${built.key}` : 'cache off';
  return `${built.resource}: dependencies installed in ${seconds} (${cache}; ${what}).`;
}

/** The files of `files` that exist. */
async function existing(files: readonly string[]): Promise<string[]> {
  const found = await Promise.all(
    files.map((file) =>
      stat(file).then(
        (stats) => stats.isFile(),
        () => false,
      ),
    ),
  );
  return files.filter((_, i) => found[i]);
}

/** Bytes of the files under `dir`. */
async function treeBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  let bytes = 0;
  for (const entry of entries) {
    if (entry.isFile()) bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return bytes;
}
