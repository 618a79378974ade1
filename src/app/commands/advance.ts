import { readRollout } from '../../rollout/context.js';
import { advanceRollout } from '../../rollout/controller.js';
import { inProgress } from '../../rollout/marker.js';
import type { RolloutReport } from '../../rollout/report.js';
import type { CommandContext } from '../context.js';
import { openRollout, reporting } from '../rollout.js';

/**
 * `advance`: for rollouts whose bakes outlast a job. Once the stage has baked `canary-interval`,
 * checks the gates on a fresh probe window and moves one stage. A scheduled workflow runs it every
 * hour or so, also when there is nothing to advance — which is therefore not an error.
 */
export async function advance(context: CommandContext): Promise<RolloutReport | undefined> {
  const rollout = await openRollout(context);
  const { marker } = await readRollout(rollout);
  if (!marker || !inProgress(marker)) {
    context.host.logger.info(`No rollout of ${rollout.runtimeName} is in progress: nothing to advance.`);
    return undefined;
  }
  return reporting(context, rollout, () => advanceRollout(rollout));
}
