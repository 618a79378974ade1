import type { BuildRecipe } from './detect.js';

/** Paths as the installer sees them: on the runner, or inside the build container. */
export interface InstallPaths {
  /** The user's code directory (read only). */
  code: string;
  /** The build's own directory: the install writes here. */
  out: string;
}

/**
 * The install command, as `s build` runs it. pip writes `python/` with `--target`; `--no-compile`
 * leaves out `.pyc` files, which embed timestamps and the builder's Python version and would make
 * the zip differ between two builds of the same requirements. npm runs in the build directory, where
 * package.json and the lockfile are copied, so the user's tree is never written to.
 */
export function installArgv(recipe: BuildRecipe, paths: InstallPaths): string[] {
  if (recipe.ecosystem === 'python') {
    return [
      'python3',
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-input',
      '--no-compile',
      '--target',
      `${paths.out}/python`,
      '--requirement',
      // pyproject.toml's list is written to the build directory as a requirements file.
      recipe.manifest === 'requirements.txt'
        ? `${paths.code}/requirements.txt`
        : `${paths.out}/requirements.txt`,
    ];
  }
  return ['npm', 'ci', '--omit=dev', '--no-audit', '--no-fund', '--prefix', paths.out];
}

/**
 * Where the install runs: pip in the code directory, so relative paths in requirements.txt (`./wheels/…`,
 * `-r base.txt`) mean what they mean to the user; npm in the build directory, which it writes to.
 */
export function installCwd(recipe: BuildRecipe, paths: InstallPaths): string {
  return recipe.ecosystem === 'python' ? paths.code : paths.out;
}

/** Prints the interpreter's version, to compare with the runtime's: `3.12.4` or `20.11.1`. */
export function versionArgv(recipe: BuildRecipe): string[] {
  return recipe.ecosystem === 'python'
    ? ['python3', '-c', 'import platform; print(platform.python_version())']
    : ['node', '-p', 'process.versions.node'];
}

export interface DockerRunOptions {
  image: string;
  /** A name to stop the container by when the build times out. */
  name: string;
  /** Host directories. */
  codeDir: string;
  outDir: string;
  /** The runner's pip and npm download caches, shared with its own builds. */
  cacheDirs: { pip: string; npm: string };
  /** The runner's user, so the files the build writes are the runner's own (POSIX only). */
  user?: { uid: number; gid: number };
  /** Variables handed to the container by name; Docker reads their values from its own environment. */
  passEnv: readonly string[];
  /** Host files (CA bundles) mounted read-only at the same path. */
  sharedFiles: readonly string[];
}

/** Where things are inside the build container. */
export const CONTAINER_PATHS: InstallPaths = { code: '/code', out: '/build' };
const CONTAINER_CACHE = '/cache';

/**
 * `docker run` for an install: the code mounted read-only at /code as the runtime sees it, the build
 * directory writable, the runner's network (a private index the runner reaches, the container
 * reaches), and the runtime's platform. Secrets are passed by name, never in the argv.
 */
export function dockerRunArgv(recipe: BuildRecipe, options: DockerRunOptions): string[] {
  const mount = (source: string, target: string, mode = 'rw') => [
    '--mount',
    `type=bind,source=${source},target=${target}${mode === 'ro' ? ',readonly' : ''}`,
  ];
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
    ...mount(options.cacheDirs.pip, `${CONTAINER_CACHE}/pip`),
    ...mount(options.cacheDirs.npm, `${CONTAINER_CACHE}/npm`),
    ...options.sharedFiles.flatMap((file) => mount(file, file, 'ro')),
    // The runner's uid has no home in the image.
    ...['--env', 'HOME=/tmp'],
    ...['--env', `PIP_CACHE_DIR=${CONTAINER_CACHE}/pip`],
    ...['--env', `npm_config_cache=${CONTAINER_CACHE}/npm`],
    ...options.passEnv.flatMap((name) => ['--env', name]),
    '--workdir',
    installCwd(recipe, CONTAINER_PATHS),
    options.image,
    ...installArgv(recipe, CONTAINER_PATHS),
  ];
}
