import { rolloutStatus } from '../../rollout/controller.js';
import type { RolloutMarker } from '../../rollout/marker.js';
import { RESULT_OF_PHASE } from '../../rollout/report.js';
import type { CommandContext } from '../context.js';
import { openRollout, RolloutOutputs } from '../rollout.js';

/** `status`: prints the rollout's phase, stage and the production split as the platform holds them. */
export async function status(context: CommandContext): Promise<RolloutMarker | undefined> {
  const { text, marker } = await rolloutStatus(await openRollout(context));
  context.host.print(text);
  if (!marker) return undefined;
  context.host.setOutput(RolloutOutputs.Result, RESULT_OF_PHASE[marker.phase]);
  return marker;
}
