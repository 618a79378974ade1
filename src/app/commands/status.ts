import { rolloutStatus } from '../../rollout/controller.js';
import { Phase, type RolloutMarker } from '../../rollout/marker.js';
import { CanaryResult } from '../../rollout/report.js';
import type { CommandContext } from '../context.js';
import { openRollout, RolloutOutputs } from '../rollout.js';

/** `status`: prints the rollout's phase, stage and the production split as the platform holds them. */
export async function status(context: CommandContext): Promise<RolloutMarker | undefined> {
  const { text, marker } = await rolloutStatus(await openRollout(context));
  context.host.print(text);
  if (!marker) return undefined;
  const result =
    marker.phase === Phase.promoted
      ? CanaryResult.promoted
      : marker.phase === Phase.rolledBack
        ? CanaryResult.rolledBack
        : CanaryResult.paused;
  context.host.setOutput(RolloutOutputs.Result, result);
  return marker;
}
