import { BuildError } from './errors.js';

/** The values of the `build` input. */
export const BUILD_MODES = ['auto', 'container', 'docker', 'local', 'skip'] as const;
export type BuildMode = (typeof BUILD_MODES)[number];

/** Where an install runs: in this job's own container, in a `docker run`, or on the runner itself. */
export type BuildPlace = 'container' | 'docker' | 'local';

/** What `auto` decides on. */
export interface Surroundings {
  /** The job runs in a container (`jobs.<id>.container`). */
  containerJob: boolean;
  /** A Docker daemon answers; when not, what `docker version` said. */
  docker: { available: true; version: string } | { available: false; why: string };
}

/**
 * Where to build. `auto` takes the job's container when there is one (its image is the user's choice
 * of build image), else Docker, else the runner's own tools.
 */
export function choosePlace(mode: Exclude<BuildMode, 'skip'>, surroundings: Surroundings): BuildPlace {
  if (mode === 'docker' && !surroundings.docker.available) {
    throw new BuildError(
      `build: docker needs Docker, which is not available here (${surroundings.docker.why}). ` +
        'Use `build: container` in a container job (jobs.<id>.container with the build image), ' +
        '`build: local` to build with the runner’s own tools (pip, npm, mvn), or `build: skip`.',
    );
  }
  if (mode !== 'auto') return mode;
  if (surroundings.containerJob) return 'container';
  return surroundings.docker.available ? 'docker' : 'local';
}

/** Why `auto` chose `place`, for the log. */
export function autoChoice(place: BuildPlace, { docker }: Surroundings): string {
  if (place === 'container') return 'build: auto chose container: this job runs in a container.';
  if (docker.available) return `build: auto chose docker: Docker ${docker.version} is available.`;
  return `build: auto chose local, with the runner's own tools: Docker is not available (${docker.why}).`;
}

/**
 * Whether this is a container job: the runner maps the workspace to `/__w/…` inside the job's
 * container. (A self-hosted runner that merely lives in a container keeps its own paths.)
 */
export function isContainerJob(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.GITHUB_ACTIONS === 'true' && (env.GITHUB_WORKSPACE ?? '').startsWith('/__w/');
}
