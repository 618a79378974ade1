import { ECOSYSTEMS, type BuildRecipe, type InstallOptions, type InstallPaths } from './ecosystems/index.js';

export interface DockerRunOptions {
  image: string;
  /** A name to stop the container by when the build times out. */
  name: string;
  /** Host directories. */
  codeDir: string;
  outDir: string;
  /** The runner's download cache for the recipe's tool, shared with its own builds. */
  cacheDir: string;
  /** The runner's user, so the files the build writes are the runner's own (POSIX only). */
  user?: { uid: number; gid: number };
  /** Variables handed to the container by name; Docker reads their values from its own environment. */
  passEnv: readonly string[];
  /** Host files (CA bundles, the tool's configuration files) mounted read-only at the same path. */
  sharedFiles: readonly string[];
  /** The runner's environment, for the command line (MAVEN_ARGS). */
  env: InstallOptions['env'];
  /** The configuration files the tool reads, by role; mounted at the same path. */
  configFiles: InstallOptions['configFiles'];
}

/** Where things are inside the build container. */
export const CONTAINER_PATHS: InstallPaths = { code: '/code', out: '/build' };
const CONTAINER_CACHE = '/cache';

/**
 * `docker run` for a build: the code mounted read-only at /code as the runtime sees it, the build
 * directory writable, the tool's download cache, the runner's network (a private index the runner
 * reaches, the container reaches), and the runtime's platform. Secrets are passed by name, never in the
 * argv.
 */
export function dockerRunArgv(recipe: BuildRecipe, options: DockerRunOptions): string[] {
  const ecosystem = ECOSYSTEMS[recipe.ecosystem];
  const mount = (source: string, target: string, mode = 'rw') => [
    '--mount',
    `type=bind,source=${source},target=${target}${mode === 'ro' ? ',readonly' : ''}`,
  ];
  const cacheDir = `${CONTAINER_CACHE}/${ecosystem.cache.name}`;
  return [
    'docker',
    'run',
    '--rm',
    '--name',
    options.name,
    '--platform',
    'linux/amd64',
    '--network',
    'host',
    ...(options.user ? ['--user', `${options.user.uid}:${options.user.gid}`] : []),
    ...mount(options.codeDir, CONTAINER_PATHS.code, 'ro'),
    ...mount(options.outDir, CONTAINER_PATHS.out),
    ...mount(options.cacheDir, cacheDir),
    ...options.sharedFiles.flatMap((file) => mount(file, file, 'ro')),
    // The runner's uid has no home in the image.
    ...['--env', 'HOME=/tmp'],
    ...options.passEnv.flatMap((name) => ['--env', name]),
    '--workdir',
    ecosystem.installCwd(recipe, CONTAINER_PATHS),
    options.image,
    ...ecosystem.installArgv(recipe, {
      paths: CONTAINER_PATHS,
      env: options.env,
      cacheDir,
      configFiles: options.configFiles,
    }),
  ];
}
