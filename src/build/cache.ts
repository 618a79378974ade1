import { createHash } from 'node:crypto';
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Built dependency directories by key. A hit replaces the install; an exact key is the only match,
 * because a tree built for other requirements is not a starting point but a wrong answer.
 */
export interface BuildCache {
  /** For the log: "GitHub Actions cache" or the local directory. */
  readonly description: string;
  /** Fills `dir` (which must not exist) from the entry `key`; false when there is none. */
  restore(key: string, dir: string): Promise<boolean>;
  /** Stores `dir` as `key`. Failures are the caller's to report as warnings. */
  save(key: string, dir: string): Promise<void>;
}

/** What the cache key is made of. */
export interface CacheKeyParts {
  language: string;
  /** The platform the dependencies are built for: `x64`, `arm64`. */
  arch: string;
  /** The build image, or for builds outside Docker the place and interpreter version (`local-3.11.7`). */
  builder: string;
  /** The build image's ID (`sha256:…`) where Docker can tell it: a rebuilt image under the same tag is another key. */
  builderId?: string;
  /** What the build reads, by name: the recipe's inputs and the runner's configuration files for the tool. */
  inputs: Readonly<Record<string, string>>;
}

/**
 * `agentrun-deps-<language>-<arch>-<builder>-<hash>`. The hash covers the files the build reads (the
 * requirements, package.json + lockfile + .npmrc, a Java project's sources), the image ID and the builder
 * again in full, since the readable part is shortened to what a key may hold.
 */
export function cacheKey({ language, arch, builder, builderId, inputs }: CacheKeyParts): string {
  const hash = createHash('sha256').update(`${builder}\n${builderId ?? ''}\n`);
  for (const [name, content] of Object.entries(inputs).sort(([a], [b]) => (a < b ? -1 : 1))) {
    hash.update(`${name}\n${content.length}\n${content}`);
  }
  const readable = builder.replace(/[^\w.-]+/g, '_').slice(0, 80);
  return `agentrun-deps-${language}-${arch}-${readable}-${hash.digest('hex').slice(0, 32)}`;
}

/** The Actions cache service, through `@actions/cache`: available when the runner provides it. */
export const githubCache: BuildCache = {
  description: 'GitHub Actions cache',
  // Loaded when a build first uses it: the toolkit and its storage client weigh on every start-up.
  restore: async (key, dir) => (await (await import('@actions/cache')).restoreCache([dir], key)) === key,
  save: async (key, dir) => {
    // saveCache reports its own failures as warnings and returns -1; a duplicate key (a parallel job
    // saved it first) is not a failure.
    await (await import('@actions/cache')).saveCache([dir], key);
  },
};

/** The same keys in a directory: for the CLI, the demo, and runners without the cache service. */
export function directoryCache(root: string): BuildCache {
  const entry = (key: string) => path.join(root, key);
  return {
    description: root,
    restore: async (key, dir) => {
      const stats = await stat(entry(key)).catch(() => undefined);
      if (!stats?.isDirectory()) return false;
      await cp(entry(key), dir, { recursive: true, verbatimSymlinks: true });
      return true;
    },
    save: async (key, dir) => {
      // Copied aside first and renamed into place, so a reader never sees half an entry.
      await mkdir(root, { recursive: true });
      const partial = `${entry(key)}.partial-${process.pid}`;
      await cp(dir, partial, { recursive: true, verbatimSymlinks: true });
      await rm(entry(key), { recursive: true, force: true });
      await rename(partial, entry(key));
    },
  };
}

/**
 * The cache a run uses: the Actions cache service when the runner offers it, else a directory —
 * `AGENTRUN_DEPLOY_CACHE_DIR`, or `agentrun-deploy/builds` in the user's cache directory.
 */
export function defaultBuildCache(env: Readonly<Record<string, string | undefined>>): BuildCache {
  return hasCacheService(env) ? githubCache : directoryCache(localCacheDir(env));
}

/**
 * The test `@actions/cache`'s isFeatureAvailable() makes, on our environment: the service URL of the
 * protocol version it will use. (Stand-ins for the toolkit, such as @github/local-action's, may not
 * have that function.)
 */
function hasCacheService(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.ACTIONS_CACHE_SERVICE_V2 ? env.ACTIONS_RESULTS_URL : env.ACTIONS_CACHE_URL);
}

function localCacheDir(env: Readonly<Record<string, string | undefined>>): string {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || homedir(), '.cache');
  return env.AGENTRUN_DEPLOY_CACHE_DIR || path.join(base, 'agentrun-deploy', 'builds');
}
