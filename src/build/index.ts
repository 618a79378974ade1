import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Language } from '../config/schema.js';
import type { Logger } from '../log.js';
import { formatBytes } from '../package/errors.js';
import type { Clock } from '../system/clock.js';
import type { CommandRunner, RunResult } from '../system/runner.js';
import { cacheKey, type BuildCache } from './cache.js';
import { formatDuration } from './report.js';
import { dockerRunArgv } from './commands.js';
import { detectBuild } from './detect.js';
import { ECOSYSTEMS, type BuildRecipe, type Ecosystem } from './ecosystems/index.js';
import { buildEnvironment, type BuildEnvironment } from './env.js';
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
  /** The s.yaml's `code.command`: a Java build packages what it names. */
  command: readonly string[];
}

/** Installed dependencies, ready to be added to the code package. */
export interface BuiltDependencies {
  resource: string;
  /** The installed tree, and the path the zip stores it under (`python`, `node_modules`, `target`). */
  dir: string;
  prefix: string;
  ecosystem: Ecosystem;
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
    const detection = await detectBuild(request);
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
    const environment = await buildEnvironment(this.context.env, recipe, request.codeDir);
    for (const secret of environment.secrets) logger.setSecret(secret);
    const key = cacheKey({
      language: request.language,
      arch: place === 'docker' ? 'x64' : process.arch,
      builder,
      builderId: place === 'docker' ? await this.imageId(builder) : undefined,
      inputs: {
        ...recipe.inputs,
        ...Object.fromEntries(
          Object.entries(environment.configContents).map(([role, text]) => [`(${role})`, text]),
        ),
      },
    });
    const same = this.built.get(key);
    if (same) return { ...same, resource: request.resource };
    const result = await this.install({ request, recipe, place, builder, key, environment });
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

  /**
   * The image's ID, when Docker has the image: a rebuilt image under the same tag then keys other
   * entries. An image not pulled yet is keyed by its name alone.
   */
  private async imageId(image: string): Promise<string | undefined> {
    let id = '';
    const result = await this.context.runner
      .run(['docker', 'image', 'inspect', '--format', '{{.Id}}', image], {
        cwd: process.cwd(),
        env: { ...this.context.env },
        onLine: (line, stream) => (stream === 'stdout' ? (id = line.trim()) : undefined),
        timeoutMs: DOCKER_PROBE_MS,
      })
      .catch(() => undefined);
    return result?.exitCode === 0 && id ? id : undefined;
  }

  /** The image, or where and which interpreter; warns when the interpreter is not the runtime's. */
  private async builder(place: BuildPlace, recipe: BuildRecipe, request: BuildRequest): Promise<string> {
    if (place === 'docker') {
      return this.context.settings.image ?? BUILD_IMAGES[request.language];
    }
    const ecosystem = ECOSYSTEMS[recipe.ecosystem];
    const [tool] = ecosystem.versionArgv;
    let output = '';
    const result = await this.context.runner
      .run(ecosystem.versionArgv, {
        cwd: request.codeDir,
        env: { ...this.context.env },
        onLine: (line) => (output += `${line}\n`),
      })
      .catch(() => undefined);
    const version = ecosystem.parseVersion(output);
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
          'what it builds may fail to load there. Build in Docker (build: docker) or in a container job ' +
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

  private async install(build: Build & { key: string }): Promise<BuiltDependencies> {
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
    const ecosystem = ECOSYSTEMS[recipe.ecosystem];
    await ecosystem.prepare(recipe, request.codeDir, outDir);
    await this.runInstall(build, outDir);
    await ecosystem.collect(recipe, outDir);
    await mkdir(dir, { recursive: true });
    if (settings.cache) await this.cached(() => cache.save(key, dir).then(() => true), 'save');
    return done(settings.cache ? 'miss' : 'off');
  }

  /** Runs the build tool, its output folded in a group; throws a BuildError when it fails or times out. */
  private async runInstall(
    { request, recipe, place, builder, environment }: Build,
    outDir: string,
  ): Promise<void> {
    const { logger, runner, settings, env } = this.context;
    const ecosystem = ECOSYSTEMS[recipe.ecosystem];
    const container = `agentrun-build-${randomBytes(6).toString('hex')}`;
    const paths = { code: request.codeDir, out: outDir };
    const argv =
      place === 'docker'
        ? dockerRunArgv(recipe, {
            image: builder,
            name: container,
            codeDir: request.codeDir,
            outDir,
            cacheDir: await this.hostCacheDir(recipe),
            user:
              process.getuid && process.getgid ? { uid: process.getuid(), gid: process.getgid() } : undefined,
            passEnv: environment.passed,
            sharedFiles: await existing(environment.sharedFiles),
            env,
            configFiles: environment.configFiles,
          })
        : ecosystem.installArgv(recipe, { paths, env, configFiles: environment.configFiles });
    const options = {
      cwd: place === 'docker' ? outDir : ecosystem.installCwd(recipe, paths),
      env: { ...env },
    };
    const { tool } = recipe;
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
        `${request.resource}: ${tool} failed (${how}) for ${manifest}:\n${failureLines(output, ecosystem.failureLine).join('\n')}`,
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

  /** The runner's own download cache for the recipe's tool, which the container shares; created if missing. */
  private async hostCacheDir(recipe: BuildRecipe): Promise<string> {
    const { env } = this.context;
    const dir = ECOSYSTEMS[recipe.ecosystem].cache.hostDir(env, env.HOME || this.context.tempDir);
    await mkdir(dir, { recursive: true });
    return dir;
  }
}

/** One build, as decided before it runs. */
interface Build {
  request: BuildRequest;
  recipe: BuildRecipe;
  place: BuildPlace;
  builder: string;
  environment: BuildEnvironment;
}

const BUILD_ROOT = 'agentrun-deps';
const DOCKER_PROBE_MS = 20_000;
const FAILURE_LINES = 20;

/** How the install is shown: `in python:3.12-slim-bookworm`, `with the runner's python3 3.11.7`. */
function where(place: BuildPlace, builder: string, recipe: BuildRecipe): string {
  if (place === 'docker') return `in ${builder}`;
  const version = builder.slice(`${place}-`.length);
  return `with the ${place === 'local' ? 'runner' : 'container'}'s ${ECOSYSTEMS[recipe.ecosystem].versionArgv[0]} ${version}`;
}

/** The lines of a failed build that say why (pip's `ERROR:`, npm's `npm error`, Maven's `[ERROR]`), else its last lines. */
export function failureLines(output: readonly string[], failureLine: RegExp): string[] {
  const errors = output.filter((line) => failureLine.test(line.trim()));
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
