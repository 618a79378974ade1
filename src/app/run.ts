import { AgentRunClient } from '../agentrun/client.js';
import { OctokitGitHub } from '../github/client.js';
import type { Settings } from '../settings.js';
import { systemClock } from '../system/clock.js';
import { processRunner } from '../system/runner.js';
import { AUTO, commandForEvent, commandNamed } from './commands/index.js';
import { skipForkPreview } from './github.js';
import type { Deps, Host } from './host.js';
import { loadSpec } from './spec.js';

/** The real AgentRun and GitHub APIs, real processes and the system clock. */
export const defaultDeps: Deps = {
  agentRun: (options) => new AgentRunClient(options),
  runner: processRunner,
  clock: systemClock,
  github: (options) => new OctokitGitHub(options),
};

/** Runs `settings.command`. Throws on failure; every problem has been logged by then. */
export async function run(settings: Settings, host: Host, deps: Deps = defaultDeps): Promise<void> {
  const name = settings.command === AUTO ? await commandForEvent(host.env) : settings.command;
  const command = commandNamed(name);
  // Before the s.yaml is read: a fork's run has none of the secrets it may ask for.
  if ((name === 'preview' || name === 'preview-cleanup') && (await skipForkPreview(settings, host))) return;
  const spec = await loadSpec(settings, host);
  await command({ settings, spec, host, deps });
}
