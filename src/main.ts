import * as core from '@actions/core';
import { SECRET_INPUTS } from './action/early.js';
import { actionHost } from './action/host.js';
import { withSourceModules } from './action/stack.js';
import { run as runCommand } from './app/run.js';
import { failureMessage } from './errors.js';
import { readSettings } from './settings.js';

/**
 * The action's composition root: the only place that reads `INPUT_*` and the runner's environment.
 * Exported as `run()`, the shape the typescript-action template uses, so that
 * `npx @github/local-action run . src/main.ts .env` runs the action on a workstation.
 */
export async function run(): Promise<void> {
  try {
    // Mask credentials before anything can print them.
    for (const name of SECRET_INPUTS) {
      const value = core.getInput(name);
      if (value) core.setSecret(value);
    }
    const settings = readSettings(
      (name) => core.getInput(name),
      process.env.GITHUB_WORKSPACE || process.cwd(),
    );
    await runCommand(settings, actionHost());
  } catch (error) {
    if (error instanceof Error && error.stack && core.isDebug()) core.debug(withSourceModules(error.stack));
    core.setFailed(failureMessage(error));
  }
}
