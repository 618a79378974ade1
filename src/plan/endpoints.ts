/**
 * `agent.endpoints` → CreateAgentRuntimeEndpoint / UpdateAgentRuntimeEndpoint bodies. Pure.
 */
import type { AgentrunProps, EndpointProps } from '../config/schema.js';
import type { VersionWeight } from '../agentrun/model.js';
import type { EndpointInput } from './types.js';

/**
 * One body per endpoint, in file order. Canary semantics follow the product's production guide:
 * an entry with `weight` diverts that share of the *main* endpoint's traffic (the first entry
 * without `weight`) to the canary's version, and its own endpoint serves that version alone, so it
 * can be tested directly. (The component instead routes the weight to the entry's own version,
 * which changes nothing, and its README says weights are not set from YAML.)
 */
export function buildEndpointInputs(props: AgentrunProps): EndpointInput[] {
  const endpoints = props.agent.endpoints ?? [];
  const main = endpoints.find((endpoint) => endpoint.weight === undefined);
  return endpoints.map((endpoint) => {
    const weights = endpoint === main ? canaryWeights(endpoints) : [];
    return {
      agentRuntimeEndpointName: endpoint.name,
      // Always sent, empty when unset, so that removing it from the file clears it.
      description: endpoint.description ?? '',
      targetVersion: targetVersion(endpoint),
      // Only with a split, as the official clients send it; a deploy takes away a split the file no
      // longer has (SERVICE.singleVersionWeights).
      ...(weights.length > 0 && { routingConfiguration: { versionWeights: weights } }),
    };
  });
}

/** The API takes the version as a string; the component sends `String(version)`, default LATEST. */
export function targetVersion(endpoint: Pick<EndpointProps, 'version'>): string {
  return String(endpoint.version);
}

/** The main endpoint's split: each canary entry's weight on its version. */
function canaryWeights(endpoints: readonly EndpointProps[]): VersionWeight[] {
  return endpoints.flatMap((endpoint) =>
    endpoint.weight === undefined ? [] : [{ version: targetVersion(endpoint), weight: endpoint.weight }],
  );
}
