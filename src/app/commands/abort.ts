import { abortRollout } from '../../rollout/controller.js';
import type { RolloutReport } from '../../rollout/report.js';
import type { CommandContext } from '../context.js';
import { openRollout, reporting } from '../rollout.js';

/** `abort`: stops the rollout in progress where it is; the weights stay. */
export async function abort(context: CommandContext): Promise<RolloutReport> {
  const rollout = await openRollout(context);
  return reporting(context, rollout, () => abortRollout(rollout));
}
