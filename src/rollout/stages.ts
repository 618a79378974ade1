/**
 * Stages and the routing each one means. Production's split is always written as the stable version
 * as `targetVersion` plus one weighted candidate; the last stage (100%) makes the candidate the
 * `targetVersion` with no weights, so no weight of 1.0 is ever left on a secondary version.
 */
import type { RoutingConfiguration } from '../agentrun/model.js';
import { splitWeights } from '../agentrun/service.js';

/** What an endpoint routes to. */
export interface Routing {
  targetVersion: string;
  routingConfiguration?: RoutingConfiguration;
}

/** Production's routing with `percent` of traffic on the candidate. */
export function routingAt(stable: string, candidate: string, percent: number): Routing {
  if (percent >= 100) return { targetVersion: candidate, routingConfiguration: { versionWeights: [] } };
  if (percent <= 0) return { targetVersion: stable, routingConfiguration: { versionWeights: [] } };
  return {
    targetVersion: stable,
    routingConfiguration: { versionWeights: [{ version: candidate, weight: percent / 100 }] },
  };
}

/** The candidate's share of an endpoint's traffic, in whole percent (read-backs are floats). */
export function candidatePercent(routing: Routing, candidate: string): number {
  if (routing.targetVersion === candidate) return 100;
  const weight =
    routing.routingConfiguration?.versionWeights?.find((w) => w.version === candidate)?.weight ?? 0;
  return Math.round(weight * 100);
}

/** The split in words: `2: 70%, 3: 30%`. */
export function describeSplit(routing: Routing): string {
  const weights = splitWeights(routing);
  const rest = Math.round((1 - weights.reduce((sum, w) => sum + (w.weight ?? 0), 0)) * 100);
  return [
    `${routing.targetVersion}: ${rest}%`,
    ...weights.map((w) => `${w.version}: ${Math.round((w.weight ?? 0) * 100)}%`),
  ].join(', ');
}

/**
 * The stage `promote-to` asks for from `stage`: the next one, the last one (`full`), or the first
 * stage at or above a percent.
 */
export function promotionTarget(
  steps: readonly number[],
  stage: number,
  to: 'next' | 'full' | number,
): number {
  if (to === 'next') return Math.min(stage + 1, steps.length - 1);
  if (to === 'full') return steps.length - 1;
  const index = steps.findIndex((step) => step >= to);
  return Math.max(stage, index < 0 ? steps.length - 1 : index);
}
