import type { RoutingHold } from '../deploy/routing.js';
import { inProgress, readMarker, writeMarker } from './marker.js';

/**
 * A rollout in progress holds its production endpoint: a plain deploy keeps the stage's split and
 * the marker that records it, and applies the rest of the file's settings.
 */
export const rolloutHold: RoutingHold = (current, desired) => {
  const marker = readMarker(current.description);
  if (!marker || !inProgress(marker)) return undefined;
  return {
    by: `rollout of version ${marker.candidate} at ${marker.steps[marker.stage]}%, ${marker.phase}`,
    description: writeMarker(desired.description, marker),
  };
};
