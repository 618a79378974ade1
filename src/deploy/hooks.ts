import { resolve } from 'node:path';
import type { ActionEntry } from '../config/index.js';
import type { Logger } from '../log.js';
import type { CommandRunner } from '../system/runner.js';

/** When a hook runs relative to the component's deploy, as Serverless Devs names them (`pre-deploy`…). */
export type HookPhase = 'pre' | 'post' | 'success' | 'fail' | 'complete';

export class HookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HookError';
  }
}

/** The entries of `actions` for one phase of `command`, e.g. `pre-deploy`. */
export function hooksFor(
  actions: Record<string, ActionEntry[]>,
  phase: HookPhase,
  command = 'deploy',
): ActionEntry[] {
  return actions[`${phase}-${command}`] ?? [];
}

/**
 * Hook entries this action cannot run: `component:` and `plugin:` entries need the Serverless Devs
 * runtime. They are reported before anything is deployed rather than skipped, since a skipped build
 * step would deploy the wrong code.
 */
export function unsupportedHooks(actions: Record<string, ActionEntry[]>): string[] {
  return Object.entries(actions).flatMap(([key, entries]) =>
    entries
      .filter((entry) => entry.run === undefined)
      .map(
        (entry) => `${key}: ${entry.component ? `component: ${entry.component}` : `plugin: ${entry.plugin}`}`,
      ),
  );
}

export interface HookContext {
  /** Directory of the s.yaml: hook paths are relative to it. */
  baseDir: string;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** e.g. "my-agent" or "global", for the log group title. */
  owner: string;
  runner: CommandRunner;
}

/** Runs hook commands in order, each folded in a log group; the first failure stops the rest. */
export async function runHooks(
  entries: readonly ActionEntry[],
  phase: string,
  context: HookContext,
): Promise<void> {
  for (const entry of entries) {
    if (entry.run === undefined) continue;
    const cwd = resolve(context.baseDir, entry.path ?? '.');
    await context.logger.group(`${context.owner} ${phase}: ${entry.run}`, () =>
      runCommand(entry.run!, cwd, context),
    );
  }
}

async function runCommand(command: string, cwd: string, context: HookContext): Promise<void> {
  const { exitCode, signal } = await context.runner
    .shell(command, { cwd, env: context.env, onLine: (line) => context.logger.info(line) })
    .catch((error: unknown) => {
      throw new HookError(
        `Hook "${command}" could not start in ${cwd}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  if (exitCode !== 0) {
    const how = signal ? `signal ${signal}` : `exit code ${exitCode}`;
    throw new HookError(`Hook "${command}" (in ${cwd}) failed with ${how}.`);
  }
}
