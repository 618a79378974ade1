import { advanceRollout } from '../../rollout/controller.js';
import type { CommandContext } from '../context.js';
import { openRollout, reporting } from '../rollout.js';

/**
 * `advance`: for rollouts whose bakes outlast a job. Once the stage has baked `canary-interval`,
 * checks the gates on a fresh probe window and moves one stage; a scheduled workflow drives it.
 */
export async function advance(context: CommandContext): Promise<void> {
  const rollout = await openRollout(context);
  await reporting(context, () => advanceRollout(rollout));
}
