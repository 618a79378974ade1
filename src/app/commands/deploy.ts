import { Strategy } from '../../rollout/options.js';
import type { RolloutReport } from '../../rollout/report.js';
import type { ResourceReport } from '../../deploy/report.js';
import { credentialsFor, plannedTargets, type CommandContext } from '../context.js';
import { checkHooks, deployTargets } from '../deploying.js';
import { canaryDeploy } from '../rollout.js';

/**
 * `deploy`: brings every selected agentrun resource of the s.yaml to its desired state, and resolves
 * to what it did to each — or, with `strategy: canary`, to the rollout's report.
 */
export async function deploy(context: CommandContext): Promise<ResourceReport[] | RolloutReport> {
  const { spec, settings } = context;
  if (!settings.skipActions) checkHooks(spec);
  if (settings.rollout.strategy === Strategy.canary) return canaryDeploy(context);
  const { targets } = await plannedTargets(context);
  const credentials = await credentialsFor(context);
  return (await deployTargets(context, targets, credentials)).reports;
}
