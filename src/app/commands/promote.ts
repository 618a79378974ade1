import { promoteRollout } from '../../rollout/controller.js';
import type { RolloutReport } from '../../rollout/report.js';
import type { CommandContext } from '../context.js';
import { openRollout, reporting } from '../rollout.js';

/** `promote`: moves the rollout in progress to the stage `promote-to` names (next, a percent, full). */
export async function promote(context: CommandContext): Promise<RolloutReport> {
  const rollout = await openRollout(context);
  return reporting(context, rollout, () => promoteRollout(rollout));
}
