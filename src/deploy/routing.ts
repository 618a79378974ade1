import type { Endpoint } from '../agentrun/api.js';
import { LATEST } from '../agentrun/model.js';
import { routingWrite } from '../agentrun/service.js';
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
  // While another owner holds the split, the deployed one is written back instead of the file's.
  const owner = current && held !== undefined ? current : desired;
  const body: EndpointInput = { ...desired };
  delete body.routingConfiguration;
  // Routing goes only with a split, or to take one away (routingWrite).
  const routing = {
    targetVersion: owner.targetVersion ?? LATEST,
    routingConfiguration: owner.routingConfiguration,
  };
  Object.assign(body, routingWrite(routing, current));
  if (held === undefined) return { body };
  if (held.description !== undefined) body.description = held.description;
  return { body, heldBy: held.by };
}
