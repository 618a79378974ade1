import type { AgentRunApi, Endpoint, Version } from '../agentrun/api.js';
import { LATEST } from '../agentrun/model.js';
import { splitWeights } from '../agentrun/service.js';
import type { WaitOptions } from '../agentrun/wait.js';
import { deployAll, type DeployOptions, type ResourceResult } from '../deploy/index.js';
import { reconcileEndpoints } from '../deploy/endpoints.js';
import { fileDecides } from '../deploy/routing.js';
import type { DeployTarget } from '../plan/types.js';
import type { PreviewMode } from '../settings.js';
import { previewEndpointName, previewNumberOf, previewRuntimeName } from './names.js';

export interface PreviewOptions {
  pr: number;
  /** The `preview-endpoint` pattern. */
  endpointPattern: string;
  mode: PreviewMode;
}

/** Where one resource's preview runs. */
export interface PreviewPlacement {
  target: DeployTarget;
  mode: 'endpoint' | 'runtime';
  /** The runtime the preview is deployed to: the agent's own, or `<name>-pr-<n>`. */
  runtimeName: string;
  endpointName: string;
  /** Why `auto` chose a separate runtime. */
  reason?: string;
}

export interface PreviewResult extends PreviewPlacement {
  version: Version;
  endpoint: Endpoint;
  deployed: ResourceResult;
}

/**
 * Decides per resource where its preview goes. An endpoint on the agent's runtime is cheapest, but
 * publishing the PR's version first updates the runtime, and that changes what LATEST serves: an
 * endpoint serving LATEST would start serving the PR. Such a runtime gets a separate preview runtime
 * under `auto` and is refused under `endpoint`; production endpoints are never edited by a preview.
 */
export async function placePreviews(
  targets: readonly DeployTarget[],
  options: PreviewOptions,
  api: (region: string) => AgentRunApi,
): Promise<PreviewPlacement[]> {
  const placements: PreviewPlacement[] = [];
  for (const target of targets) {
    const name = target.runtime.agentRuntimeName;
    const endpointName = previewEndpointName(options.endpointPattern, options.pr);
    if (target.endpoints.some((endpoint) => endpoint.agentRuntimeEndpointName === endpointName)) {
      throw new Error(
        `${target.resource}: the s.yaml has an endpoint named ${endpointName}, the name of this pull request's preview. ` +
          'Change the preview-endpoint input so previews cannot replace it.',
      );
    }
    const separate = {
      target,
      mode: 'runtime',
      runtimeName: previewRuntimeName(name, options.pr),
      endpointName,
    } as const;
    if (options.mode === 'runtime') {
      placements.push(separate);
      continue;
    }
    const client = api(target.region);
    const runtime = await client.findRuntime(name, target.workspace);
    const onLatest = runtime
      ? (await client.listEndpoints(runtime.agentRuntimeId)).filter(
          (endpoint) =>
            previewNumberOf(options.endpointPattern, endpoint.agentRuntimeEndpointName) === undefined &&
            servesLatest(endpoint),
        )
      : [];
    if (onLatest.length === 0 && (runtime || options.mode === 'endpoint')) {
      placements.push({ target, mode: 'endpoint', runtimeName: name, endpointName });
      continue;
    }
    const names = onLatest.map((endpoint) => endpoint.agentRuntimeEndpointName).join(', ');
    if (options.mode === 'endpoint') {
      throw new Error(
        `${target.resource}: endpoint ${names} of ${name} serves LATEST, which a preview endpoint would change ` +
          'by updating the runtime. Give it a published version in the s.yaml, or use preview-mode: runtime (or auto).',
      );
    }
    placements.push({
      ...separate,
      reason: runtime
        ? `endpoint ${names} of ${name} serves LATEST, which a preview on the same runtime would change`
        : `${name} does not exist yet`,
    });
  }
  return placements;
}

/** Whether an endpoint sends any traffic to LATEST. */
function servesLatest(endpoint: Endpoint): boolean {
  const target = endpoint.targetVersion ?? LATEST;
  return target === LATEST || splitWeights(endpoint).some((w) => w.version === LATEST);
}

/**
 * Deploys the PR's code to each placement, publishes it as a version and points the preview endpoint
 * at that version. The s.yaml's own endpoints are left out: a preview never creates or edits them.
 */
export async function deployPreviews(
  placements: readonly PreviewPlacement[],
  options: DeployOptions & { pr: number },
  wait: WaitOptions,
): Promise<PreviewResult[]> {
  const targets = placements.map(({ target, runtimeName }) => ({
    ...target,
    runtime: { ...target.runtime, agentRuntimeName: runtimeName },
    endpoints: [],
  }));
  const deployed = await deployAll(targets, { ...options, publish: true });
  const results: PreviewResult[] = [];
  for (const placement of placements) {
    const result = deployed.find((r) => r.target.runtime.agentRuntimeName === placement.runtimeName)!;
    const version = result.version!;
    const [reconciled] = await reconcileEndpoints(
      options.api(placement.target.region),
      result.runtime.runtime.agentRuntimeId,
      [
        {
          agentRuntimeEndpointName: placement.endpointName,
          targetVersion: version.agentRuntimeVersion,
          description: `Preview of pull request #${options.pr}`,
        },
      ],
      wait,
      // The preview endpoint is ours alone: its split is always the one just published.
      fileDecides,
    );
    const endpoint = reconciled!.endpoint;
    options.logger.info(
      `Preview ${placement.endpointName} of ${placement.runtimeName} serves version ${version.agentRuntimeVersion}: ${endpoint.endpointPublicUrl ?? ''}`,
    );
    results.push({ ...placement, version, endpoint, deployed: result });
  }
  return results;
}
