import path from 'node:path';
import { LANGUAGES, type Language } from '../config/schema.js';
import type { DeployTarget } from '../plan/types.js';
import type { ExtraDir } from '../package/index.js';
import { DependencyBuilder, type BuildContext, type BuiltDependencies } from './index.js';

/** Where the runtime unpacks the code, and so where `python/` is. */
const RUNTIME_PYTHON_DIR = '/code/python';

/** The targets with their dependencies built, ready for packaging. */
export interface BuiltTargets {
  /** The targets, python ones with PYTHONPATH pointing at their dependencies. */
  targets: DeployTarget[];
  builds: BuiltDependencies[];
  /** What to add to each resource's zip. */
  extraDirs: ReadonlyMap<string, ExtraDir[]>;
  /** Removes the build directories. */
  cleanup(): Promise<void>;
}

/**
 * Builds the dependencies of every target whose code is a directory, one after the other. Any failure
 * throws before anything is deployed.
 */
export async function buildTargets(
  targets: readonly DeployTarget[],
  baseDir: string,
  context: BuildContext,
): Promise<BuiltTargets> {
  const builder = new DependencyBuilder(context);
  const builds: BuiltDependencies[] = [];
  const result: DeployTarget[] = [];
  try {
    for (const target of targets) {
      const language = target.runtime.codeConfiguration?.language;
      const built =
        target.codeSrc && isLanguage(language) && !target.codeSrc.toLowerCase().endsWith('.zip')
          ? await builder.build({
              resource: target.resource,
              codeDir: path.resolve(baseDir, target.codeSrc),
              language,
            })
          : undefined;
      if (built) builds.push(built);
      result.push(built?.ecosystem === 'python' ? withPythonPath(target, context.logger) : target);
    }
  } catch (error) {
    await builder.cleanup();
    throw error;
  }
  return {
    targets: result,
    builds,
    // An install that produced nothing (requirements that are all comments) adds nothing.
    extraDirs: new Map(
      builds
        .filter((built) => built.bytes > 0)
        .map((built) => [built.resource, [{ dir: built.dir, prefix: built.prefix }]]),
    ),
    cleanup: () => builder.cleanup(),
  };
}

/**
 * Points PYTHONPATH at the installed packages unless the s.yaml sets it (`s build` only prints a hint
 * to do so; without it, every import of a dependency fails in the cloud).
 */
function withPythonPath(target: DeployTarget, logger: BuildContext['logger']): DeployTarget {
  const variables = target.runtime.environmentVariables ?? {};
  const current = variables.PYTHONPATH;
  if (current === undefined) {
    logger.notice(
      `${target.resource}: PYTHONPATH=${RUNTIME_PYTHON_DIR} added to environmentVariables, where the dependencies are installed. Set PYTHONPATH in the s.yaml to choose it yourself.`,
    );
    return {
      ...target,
      runtime: { ...target.runtime, environmentVariables: { ...variables, PYTHONPATH: RUNTIME_PYTHON_DIR } },
    };
  }
  if (!current.split(':').includes(RUNTIME_PYTHON_DIR)) {
    logger.warning(
      `${target.resource}: environmentVariables.PYTHONPATH is "${current}", without ${RUNTIME_PYTHON_DIR} where the dependencies are installed: they will not import.`,
    );
  }
  return target;
}

function isLanguage(value: string | undefined): value is Language {
  return LANGUAGES.some((language) => language === value);
}
