import { resolveSpec, type ResolvedSpec, type ResolveOptions } from '../config/index.js';
import { ConfigError, formatProblem, type Problem } from '../config/types.js';
import { knownAccountId } from '../credentials/index.js';
import type { Logger } from '../log.js';
import { maskableSecrets } from '../secrets.js';
import type { Settings } from '../settings.js';
import type { Host } from './host.js';

/** Resolves the s.yaml and masks every secret it brought in before anything else is printed. */
export async function loadSpec(settings: Settings, host: Host): Promise<ResolvedSpec> {
  const spec = await reportingConfigErrors(host.logger, () =>
    resolveSpec(resolveOptions(settings, host.env)),
  );
  maskSecrets(spec.secretValues, host.logger);
  reportProblems(spec.warnings, host.logger);
  return spec;
}

/**
 * How the s.yaml is resolved. `${config('AccountID')}` gets the account id as far as it is known
 * before any network call; the keys, as with `s`, from Serverless Devs' own variables.
 */
export function resolveOptions(settings: Settings, env: Host['env']): ResolveOptions {
  return {
    cwd: settings.cwd,
    config: settings.config,
    env,
    envFile: settings.envFile,
    dotenv: settings.dotenv,
    secretEnv: settings.secretEnv,
    credential: {
      AccountID: knownAccountId(settings.credentials, env),
      AccessKeyID: env.AccessKeyID,
      AccessKeySecret: env.AccessKeySecret,
      SecurityToken: env.SecurityToken,
    },
  };
}

/** Registers the values the masking rule says to hide (see secrets.ts). */
export function maskSecrets(values: readonly string[], logger: Logger): void {
  for (const secret of maskableSecrets(values)) logger.setSecret(secret);
}

/**
 * Runs `fn`; a ConfigError it throws has its problems reported (secrets it knows of masked first)
 * before it goes on up.
 */
export async function reportingConfigErrors<T>(logger: Logger, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ConfigError) {
      maskSecrets(error.secretValues, logger);
      reportProblems(error.problems, logger);
    }
    throw error;
  }
}

/** Logs each problem at its file:line:col (an annotation in Actions). */
export function reportProblems(problems: readonly Problem[], logger: Logger): void {
  for (const problem of problems) {
    const message = formatProblem({ ...problem, position: undefined });
    if (problem.severity === 'error') logger.error(message, problem.position);
    else logger.warning(message, problem.position);
  }
}
