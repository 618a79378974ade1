import { AgentRunClient } from '../agentrun/client.js';
import { OctokitGitHub } from '../github/client.js';
import { maskableSecrets, redact } from '../secrets.js';
import { defaultBuildCache } from '../build/cache.js';
import { SlsClient } from '../logs/client.js';
import type { Settings } from '../settings.js';
import { systemClock } from '../system/clock.js';
import { processRunner } from '../system/runner.js';
import { InputError } from '../inputs.js';
import { AUTO, chooseCommand, commandNamed } from './commands/index.js';
import { skipForkPreview, skipRun } from './github.js';
import type { Deps, Host } from './host.js';
import { loadSpec } from './spec.js';
import { failureSummary, summaryFooter } from './summary.js';

/** The real AgentRun and GitHub APIs, real processes and the system clock. */
export const defaultDeps: Deps = {
  agentRun: (options) => new AgentRunClient(options),
  runner: processRunner,
  clock: systemClock,
  github: (options) => new OctokitGitHub(options),
  buildCache: defaultBuildCache,
  sls: (options) => new SlsClient(options),
};

/**
 * Runs `settings.command` and resolves to its result. Throws on failure; every problem has been
 * logged by then, and the job summary says what was done and why the run failed.
 */
export async function run(settings: Settings, host: Host, deps: Deps = defaultDeps): Promise<unknown> {
  const startedAt = deps.clock.now();
  let summarised = false;
  const write = host.writeSummary?.bind(host);
  // The job summary is a file of its own, apart from the log: every secret the run registers (and the
  // credentials) is replaced in it before it is written, e.g. in a failure that quotes an agent's output.
  const secrets = new Set(maskableSecrets(credentialValues(settings)));
  const logger = {
    ...host.logger,
    setSecret: (value: string) => {
      secrets.add(value);
      host.logger.setSecret(value);
    },
  };
  // Every summary ends with the commit and the run's duration; a command that failed before writing
  // one gets the failure summary below.
  const withFooter: Host = write
    ? {
        ...host,
        logger,
        writeSummary: (markdown) => {
          summarised = true;
          const footer = summaryFooter(host.commit, deps.clock.now() - startedAt);
          return write(redact(`${markdown}\n${footer}\n`, secrets));
        },
      }
    : host;
  let name = settings.command;
  try {
    if (name === AUTO) {
      const choice = await chooseCommand(settings, host.env);
      const { outcome } = choice.rule;
      if (outcome === 'error') throw new InputError(choice.message!);
      if (outcome === 'nothing') return await skipRun(withFooter, choice.message!);
      name = outcome;
      // An issue_comment's preview is of the pull request commented on, looked up like `pr-number`.
      if (choice.pr !== undefined)
        settings = { ...settings, github: { ...settings.github, prNumber: choice.pr } };
    }
    const command = commandNamed(name);
    // Before the s.yaml is read: a fork's run has none of the secrets it may ask for.
    if ((name === 'preview' || name === 'preview-cleanup') && (await skipForkPreview(settings, withFooter)))
      return;
    const spec = await loadSpec(settings, withFooter);
    return await command({ settings, spec, host: withFooter, deps });
  } catch (error) {
    if (!summarised) await withFooter.writeSummary?.(failureSummary(name, error));
    throw error;
  }
}

function credentialValues({ credentials, github }: Settings): string[] {
  const { accessKeySecret, securityToken } = credentials;
  return [accessKeySecret, securityToken, github.token].filter((value): value is string => !!value);
}
