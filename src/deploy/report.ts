import type { VersionWeight } from '../agentrun/model.js';
import { splitWeights } from '../agentrun/service.js';
import { previewOfVersion } from '../preview/names.js';
import type { RuntimeAction } from './runtime.js';
import type { ResourceResult } from './index.js';

/** Names of the action's outputs (action.yml), in one place. */
export const Outputs = {
  Plan: 'plan',
  RuntimeId: 'runtime-id',
  RuntimeName: 'runtime-name',
  Version: 'version',
  Url: 'url',
  Endpoints: 'endpoints',
  Changed: 'changed',
  Resources: 'resources',
  Stages: 'stages',
} as const;

export interface EndpointSummary {
  resource: string;
  name: string;
  url: string;
  version: string;
  weights: VersionWeight[];
}

/**
 * What a deploy did to one resource, as the job summary and the CLI's `--json` show it. `changes`
 * speaks the words of `runtimeChanges` (runtime.ts), as the log and `plan` do.
 */
export interface ResourceReport {
  resource: string;
  runtime: string;
  runtimeId: string;
  region: string;
  action: RuntimeAction;
  changes: string[];
  /** The newest published version before this deploy. */
  previousVersion?: string;
  /** The pull request `previousVersion` was published to preview, when it was. */
  previousPreview?: number;
  /** The version that holds the deployed configuration (absent with `publish: false`). */
  version?: string;
  published: boolean;
  uploadedBytes: number;
  files: number;
  endpoints: {
    name: string;
    action: 'created' | 'updated' | 'unchanged';
    url: string;
    version: string;
    weights: VersionWeight[];
    /** Why the deployed traffic split was kept rather than set from the s.yaml. */
    heldBy?: string;
  }[];
}

export function resourceReports(results: readonly ResourceResult[]): ResourceReport[] {
  return results.map(({ target, runtime, version, published, endpoints, package: pkg }) => ({
    resource: target.resource,
    runtime: runtime.runtime.agentRuntimeName,
    runtimeId: runtime.runtime.agentRuntimeId,
    region: target.region,
    action: runtime.action,
    changes: runtime.reasons,
    previousVersion: runtime.newestVersion?.agentRuntimeVersion,
    previousPreview: previewOfVersion(runtime.newestVersion?.description),
    version: version?.agentRuntimeVersion,
    published,
    uploadedBytes: runtime.uploadedBytes,
    files: runtime.uploadedBytes ? (pkg?.files ?? 0) : 0,
    endpoints: endpoints.map(({ endpoint, action, heldBy }) => ({
      name: endpoint.agentRuntimeEndpointName,
      action,
      url: endpoint.endpointPublicUrl ?? '',
      version: endpoint.targetVersion ?? 'LATEST',
      weights: splitWeights(endpoint),
      ...(heldBy !== undefined && { heldBy }),
    })),
  }));
}

function endpointSummaries(results: readonly ResourceResult[]): EndpointSummary[] {
  return resourceReports(results).flatMap((report) =>
    report.endpoints.map(({ name, url, version, weights }) => ({
      resource: report.resource,
      name,
      url,
      version,
      weights,
    })),
  );
}

/** Whether this run changed anything at all. */
function anyChange(results: readonly ResourceResult[]): boolean {
  return results.some(
    (r) =>
      r.runtime.action !== 'unchanged' || r.published || r.endpoints.some((e) => e.action !== 'unchanged'),
  );
}

/** The values of the deploy outputs; the first resource and its first endpoint stand for "the" agent. */
export function deployOutputs(results: readonly ResourceResult[]): Record<string, string> {
  const first = results[0];
  return {
    [Outputs.RuntimeId]: first?.runtime.runtime.agentRuntimeId ?? '',
    [Outputs.RuntimeName]: first?.runtime.runtime.agentRuntimeName ?? '',
    [Outputs.Version]: first?.version?.agentRuntimeVersion ?? '',
    [Outputs.Url]: first?.endpoints[0]?.endpoint.endpointPublicUrl ?? '',
    [Outputs.Endpoints]: JSON.stringify(endpointSummaries(results)),
    [Outputs.Changed]: String(anyChange(results)),
  };
}
