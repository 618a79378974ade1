import * as core from '@actions/core';
import { failureMessage } from '../errors.js';
import { run, type Host } from '../run.js';
import { readSettings } from '../settings.js';
import { actionsLogger } from './logger.js';

/** The action's composition root: the only place that reads `INPUT_*` and the runner's environment. */
export async function runAction(): Promise<void> {
  try {
    // Mask credentials before anything can print them.
    for (const name of ['access-key-secret', 'security-token', 'dotenv']) {
      const value = core.getInput(name);
      if (value) core.setSecret(value);
    }
    const settings = readSettings(
      (name) => core.getInput(name),
      process.env.GITHUB_WORKSPACE || process.cwd(),
    );
    await run(settings, actionHost());
  } catch (error) {
    if (error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(failureMessage(error));
  }
}

function actionHost(): Host {
  const env = process.env;
  const trigger = env.GITHUB_SHA
    ? `${env.GITHUB_REPOSITORY ?? ''}@${env.GITHUB_SHA.slice(0, 7)} run ${env.GITHUB_RUN_ID ?? ''}`
    : 'agentrun-deploy';
  return {
    logger: actionsLogger,
    env,
    setOutput: (name, value) => core.setOutput(name, value),
    print: (text) => core.info(text),
    writeSummary: async (markdown) => {
      // The summary is a nicety: outside a runner (no GITHUB_STEP_SUMMARY) it is skipped, never fatal.
      if (!env.GITHUB_STEP_SUMMARY) return;
      await core.summary
        .addRaw(markdown)
        .write()
        .catch((error: unknown) => {
          core.warning(`Could not write the job summary: ${failureMessage(error)}`);
        });
    },
    getIDToken: (audience) => core.getIDToken(audience),
    tempDir: env.RUNNER_TEMP || undefined,
    trigger: `Deployed by ${trigger}`,
  };
}
