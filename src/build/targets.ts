import path from 'node:path';
import { LANGUAGES, type Language } from '../config/schema.js';
import type { DeployTarget } from '../plan/types.js';
import type { ExtraDir } from '../package/index.js';
import { ECOSYSTEMS } from './ecosystems/index.js';
import { DependencyBuilder, type BuildContext, type BuiltDependencies } from './index.js';

/** The targets with their dependencies built, ready for packaging. */
export interface BuiltTargets {
  /** The targets, with the variables their builds imply (python's PYTHONPATH) added. */
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
      const code = target.runtime.codeConfiguration;
      const language = code?.language;
      const built =
        target.codeSrc && isLanguage(language) && !target.codeSrc.toLowerCase().endsWith('.zip')
          ? await builder.build({
              resource: target.resource,
              codeDir: path.resolve(baseDir, target.codeSrc),
              language,
              command: code?.command ?? [],
            })
          : undefined;
      if (built) builds.push(built);
      result.push(built ? withRuntimeVariables(target, built, context.logger) : target);
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
 * Adds the variables the build implies (PYTHONPATH=/code/python) unless the s.yaml sets them (`s build`
 * only prints a hint to do so; without it, every import of a dependency fails in the cloud).
 */
function withRuntimeVariables(
  target: DeployTarget,
  built: BuiltDependencies,
  logger: BuildContext['logger'],
): DeployTarget {
  let variables = target.runtime.environmentVariables ?? {};
  for (const [name, value] of Object.entries(ECOSYSTEMS[built.ecosystem].runtimeVariables)) {
    const current = variables[name];
    if (current === undefined) {
      logger.notice(
        `${target.resource}: ${name}=${value} added to environmentVariables, where the dependencies are installed. Set ${name} in the s.yaml to choose it yourself.`,
      );
      variables = { ...variables, [name]: value };
    } else if (!current.split(':').includes(value)) {
      logger.warning(
        `${target.resource}: environmentVariables.${name} is "${current}", without ${value} where the dependencies are installed: they will not be found.`,
      );
    }
  }
  if (variables === target.runtime.environmentVariables || Object.keys(variables).length === 0) return target;
  return { ...target, runtime: { ...target.runtime, environmentVariables: variables } };
}

function isLanguage(value: string | undefined): value is Language {
  return LANGUAGES.some((language) => language === value);
}
