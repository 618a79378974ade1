import { rollbackRollout } from '../../rollout/controller.js';
import type { RolloutReport } from '../../rollout/report.js';
import type { CommandContext } from '../context.js';
import { openRollout, reporting } from '../rollout.js';

/** `rollback`: production back to the stable version alone, mid-rollout or after a promotion. */
export async function rollback(context: CommandContext): Promise<RolloutReport> {
  const rollout = await openRollout(context);
  return reporting(context, rollout, () => rollbackRollout(rollout));
}
