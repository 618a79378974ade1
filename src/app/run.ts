import { AgentRunClient } from '../agentrun/client.js';
import type { Settings } from '../settings.js';
import { systemClock } from '../system/clock.js';
import { processRunner } from '../system/runner.js';
import { commandNamed } from './commands/index.js';
import type { Deps, Host } from './host.js';
import { loadSpec } from './spec.js';

/** The real AgentRun API, real processes and the system clock. */
export const defaultDeps: Deps = {
  agentRun: (options) => new AgentRunClient(options),
  runner: processRunner,
  clock: systemClock,
};

/** Runs `settings.command`. Throws on failure; every problem has been logged by then. */
export async function run(settings: Settings, host: Host, deps: Deps = defaultDeps): Promise<void> {
  const command = commandNamed(settings.command);
  const spec = await loadSpec(settings, host);
  await command({ settings, spec, host, deps });
}
