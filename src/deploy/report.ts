import type { VersionWeight } from '../agentrun/model.js';
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
} as const;

export interface EndpointSummary {
  resource: string;
  name: string;
  url: string;
  version: string;
  weights: VersionWeight[];
}

function endpointSummaries(results: readonly ResourceResult[]): EndpointSummary[] {
  return results.flatMap((result) =>
    result.endpoints.map(({ endpoint }) => ({
      resource: result.target.resource,
      name: endpoint.agentRuntimeEndpointName,
      url: endpoint.endpointPublicUrl ?? '',
      version: endpoint.targetVersion ?? 'LATEST',
      weights: endpoint.routingConfiguration?.versionWeights ?? [],
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

/** The job summary: one row per resource, one per endpoint. */
export function summaryMarkdown(results: readonly ResourceResult[]): string {
  const rows = results.map(({ target, runtime, version, published, package: pkg }) =>
    cells([
      target.resource,
      `\`${runtime.runtime.agentRuntimeName}\``,
      target.region,
      runtime.action,
      version ? `${version.agentRuntimeVersion}${published ? ' (new)' : ''}` : '—',
      runtime.uploadedBytes
        ? `${plural(pkg?.files ?? 0, 'file')}, ${plural(runtime.uploadedBytes, 'byte')}`
        : 'none',
    ]),
  );
  const endpointRows = endpointSummaries(results).map((e) =>
    cells([
      e.resource,
      e.name,
      [e.version, ...e.weights.map((w) => `${w.version} (${Math.round((w.weight ?? 0) * 100)}%)`)].join(', '),
      e.url ? `<${e.url}>` : '—',
    ]),
  );
  return [
    '## AgentRun deploy',
    '',
    cells(['resource', 'runtime', 'region', 'result', 'version', 'code uploaded']),
    cells(['---', '---', '---', '---', '---', '---']),
    ...rows,
    '',
    ...(endpointRows.length
      ? [
          '### Endpoints',
          '',
          cells(['resource', 'endpoint', 'version', 'URL']),
          cells(['---', '---', '---', '---']),
          ...endpointRows,
        ]
      : []),
    '',
  ].join('\n');
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

const cells = (values: string[]) => `| ${values.map((v) => v.replace(/\|/g, '\\|')).join(' | ')} |`;
