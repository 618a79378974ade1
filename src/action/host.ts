import * as core from '@actions/core';
import type { Host } from '../app/host.js';
import { failureMessage } from '../errors.js';
import { actionsLogger } from './logger.js';

/** The runner's side of a run: workflow commands for the log, outputs, the job summary and OIDC. */
export function actionHost(env: NodeJS.ProcessEnv = process.env): Host {
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
    workspace: env.GITHUB_WORKSPACE || undefined,
    trigger: `Deployed by ${trigger}`,
    commit: env.GITHUB_SHA
      ? {
          sha: env.GITHUB_SHA,
          url:
            env.GITHUB_REPOSITORY &&
            `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/commit/${env.GITHUB_SHA}`,
        }
      : undefined,
  };
}
