import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { ActionEntry } from '../config/index.js';
import type { Logger } from '../log.js';

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

function runCommand(command: string, cwd: string, context: HookContext): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, { cwd, env: context.env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => context.logger.info(line));
    }
    child.on('error', (error) =>
      fail(new HookError(`Hook "${command}" could not start in ${cwd}: ${error.message}`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) done();
      else
        fail(
          new HookError(
            `Hook "${command}" (in ${cwd}) failed with ${signal ? `signal ${signal}` : `exit code ${code}`}.`,
          ),
        );
    });
  });
}
