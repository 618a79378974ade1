import type { Endpoint } from '../agentrun/api.js';
import type { EndpointInput } from '../plan/types.js';
import { inProgress, readMarker, writeMarker } from './marker.js';

/**
 * The body a plain deploy writes to an endpoint. While a rollout holds the endpoint, its routing and
 * marker stay as they are — the file's weights would otherwise undo the rollout's stage — and only
 * the rest of the file's settings apply.
 */
export function respectRollout(input: EndpointInput, current: Endpoint): EndpointInput {
  const marker = readMarker(current.description);
  if (!marker || !inProgress(marker)) return input;
  return {
    ...input,
    description: writeMarker(input.description, marker),
    targetVersion: current.targetVersion,
    routingConfiguration: current.routingConfiguration ?? { versionWeights: [] },
  };
}
