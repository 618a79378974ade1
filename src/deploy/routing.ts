import type { Endpoint } from '../agentrun/api.js';
import type { EndpointInput } from '../plan/types.js';

/** Why an endpoint's split is held, and the description its holder keeps there (its state, say). */
export interface Held {
  by: string;
  description?: string;
}

/**
 * Who decides an endpoint's traffic split. A deploy brings every endpoint to the s.yaml, but while a
 * rollout moves production's traffic stage by stage, the rollout owns that endpoint's
 * `targetVersion` and `routingConfiguration`: the deploy must not put them back to what the file says.
 * Returns why the split is held, or undefined when the file decides.
 */
export type RoutingHold = (current: Endpoint, desired: EndpointInput) => Held | undefined;

/** The file decides every endpoint's split. */
export const fileDecides: RoutingHold = () => undefined;

/**
 * The body an endpoint write sends: the s.yaml's, with the deployed split kept when `hold` says
 * another owner has it. This is the only place that chooses `targetVersion` and `routingConfiguration`.
 */
export function endpointBody(
  desired: EndpointInput,
  current: Endpoint | undefined,
  hold: RoutingHold,
): { body: EndpointInput; heldBy?: string } {
  const held = current && hold(current, desired);
  if (!current || held === undefined) return { body: desired };
  return {
    body: {
      ...desired,
      ...(held.description === undefined ? {} : { description: held.description }),
      targetVersion: current.targetVersion,
      routingConfiguration: { versionWeights: current.routingConfiguration?.versionWeights ?? [] },
    },
    heldBy: held.by,
  };
}
