/**
 * The desired state of a whole s.yaml: validates every `agentrun` resource, reports all problems
 * of the file together, and builds the request bodies. Pure; no API calls.
 */
import { AUTO_LOG, autoLogProject } from '../logs/layout.js';
import {
  ConfigError,
  formatProblem,
  type KeyPath,
  type Problem,
  type SourcePosition,
} from '../config/types.js';
import { sortByPosition, validateResource, withPosition } from '../config/validate.js';
import type { AgentrunProps } from '../config/schema.js';
import { serviceDefaulted } from '../agentrun/service.js';
import { maskableSecrets, redact, redactDeep } from '../secrets.js';
import { buildEndpointInputs } from './endpoints.js';
import { buildRuntimeInput } from './runtime.js';
import { PlanError, type CodeSource, type Plan, type PlanContext, type ResourcePlan } from './types.js';

export { buildEndpointInputs, targetVersion } from './endpoints.js';
export { buildRuntimeInput } from './runtime.js';
export * from './types.js';

/** What the plan reads of the resolved spec (`ResolvedSpec` of src/config/index.ts fits it). */
export interface PlanSpec {
  resources: readonly { name: string; component: string; props: unknown }[];
  secretValues: readonly string[];
  locate(path: KeyPath): SourcePosition | undefined;
}

/** `agentrun`, or a pinned one such as `agentrun@dev` / `agentrun@0.1.2`. */
export function isAgentrunComponent(component: string): boolean {
  return component === 'agentrun' || component.startsWith('agentrun@');
}

/**
 * Builds the plan of every `agentrun` resource; other components are listed as skipped.
 * Throws {@link ConfigError} with every problem of the file (warnings too, secrets masked) when
 * any is an error.
 */
export function buildPlan(spec: PlanSpec, context: PlanContext = {}): Plan {
  const problems: Problem[] = [];
  const resources: ResourcePlan[] = [];
  const skipped: Plan['skipped'] = [];
  const secretValues = maskableSecrets(spec.secretValues);
  for (const resource of spec.resources) {
    if (!isAgentrunComponent(resource.component)) {
      skipped.push({ resource: resource.name, component: resource.component });
      continue;
    }
    const validated = validateResource(resource, spec.locate, secretValues);
    problems.push(...validated.problems);
    if (validated.props === undefined) continue;
    try {
      resources.push(resourcePlan(resource.name, validated.props, context));
    } catch (error) {
      if (!(error instanceof PlanError)) throw error;
      const path = ['resources', resource.name, 'props', ...error.path];
      problems.push(withPosition({ severity: 'error', path, message: error.message }, spec.locate));
    }
  }
  problems.push(...fileProblems(spec, resources));
  const ordered = sortByPosition(problems).map((problem) => ({
    ...problem,
    message: redact(problem.message, secretValues),
  }));
  if (ordered.some((problem) => problem.severity === 'error')) throw new ConfigError(ordered);
  return { resources, skipped, warnings: ordered, secretValues };
}

function resourcePlan(resource: string, props: AgentrunProps, context: PlanContext): ResourcePlan {
  const { agent } = props;
  const runtime = buildRuntimeInput(props, context);
  const code = codeSource(agent.code);
  return {
    resource,
    region: props.region,
    runtime,
    endpoints: buildEndpointInputs(props),
    ...(code !== undefined && { code }),
    ...(agent.logConfig === 'auto' && {
      autoLog: runtime.logConfiguration ?? { logstore: AUTO_LOG.logstore },
    }),
    ...(agent.workspace !== undefined && { workspace: agent.workspace }),
  };
}

/** The schema guarantees `src` or both OSS names. */
function codeSource(code: AgentrunProps['agent']['code']): CodeSource | undefined {
  if (code === undefined) return undefined;
  if (code.src !== undefined) return { src: code.src };
  if (code.ossBucketName !== undefined && code.ossObjectName !== undefined) {
    return { oss: { bucketName: code.ossBucketName, objectName: code.ossObjectName } };
  }
  return undefined;
}

/**
 * Rules across resources: something must be deployed, and two resources must not claim the same
 * runtime (runtimes are found by name per region, so they would overwrite each other).
 */
function fileProblems(spec: PlanSpec, plans: readonly ResourcePlan[]): Problem[] {
  if (!spec.resources.some((resource) => isAgentrunComponent(resource.component))) {
    return [
      withPosition(
        {
          severity: 'error',
          path: ['resources'],
          message: 'expected at least one resource with `component: agentrun`',
        },
        spec.locate,
      ),
    ];
  }
  const owners = new Map<string, string>();
  const problems: Problem[] = [];
  for (const plan of plans) {
    const key = `${plan.region}/${plan.runtime.agentRuntimeName}`;
    const owner = owners.get(key);
    if (owner === undefined) {
      owners.set(key, plan.resource);
      continue;
    }
    const path = ['resources', plan.resource, 'props', 'agent', 'name'];
    const message = `expected a runtime name not used by another resource, got ${JSON.stringify(plan.runtime.agentRuntimeName)} (also resource \`${owner}\` in ${plan.region})`;
    problems.push(withPosition({ severity: 'error', path, message }, spec.locate));
  }
  return problems;
}

/** The plan as JSON (bodies, skipped resources, warnings as text), secrets masked. */
export function planToJson(plan: Plan): string {
  const { resources, skipped, warnings } = plan;
  // Masked before serialising: JSON escaping would hide a secret with a quote or newline from the mask.
  const shown = redactDeep({ resources, skipped, warnings: warnings.map(formatProblem) }, plan.secretValues);
  return JSON.stringify(shown, null, 2);
}

/** Human-readable plan for the log, secrets masked. */
export function renderPlan(plan: Plan): string {
  const lines: string[] = [];
  for (const resource of redactDeep(plan.resources, plan.secretValues)) {
    lines.push(
      `resource \`${resource.resource}\` → runtime \`${resource.runtime.agentRuntimeName}\` in ${resource.region}`,
    );
    lines.push(`  ${describeArtifact(resource)}`);
    if (resource.autoLog) {
      const project =
        resource.autoLog.project ?? `${autoLogProject('<account id from STS>', resource.region)}`;
      lines.push(`  logs (logConfig: auto): SLS project ${project}, logstore ${resource.autoLog.logstore}`);
    }
    lines.push('  runtime body:', indent(resource.runtime, 4));
    const left = serviceDefaulted(resource.runtime);
    if (left.length > 0) lines.push(`  ${left.join(', ')}: (service default)`);
    for (const endpoint of resource.endpoints) {
      lines.push(`  endpoint \`${endpoint.agentRuntimeEndpointName}\` body:`, indent(endpoint, 4));
    }
  }
  for (const { resource, component } of plan.skipped) {
    lines.push(`resource \`${resource}\` (component ${component}): skipped`);
  }
  // Warnings are not repeated here: the caller reports them at their file:line:col.
  return lines.join('\n');
}

function describeArtifact(resource: ResourcePlan): string {
  const { code } = resource;
  if (code === undefined) return `image: ${resource.runtime.containerConfiguration?.image ?? ''}`;
  if ('src' in code) return `code: ${code.src} (packaged and uploaded at deploy)`;
  return `code: oss://${code.oss.bucketName}/${code.oss.objectName}`;
}

function indent(value: unknown, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return JSON.stringify(value, null, 2)
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}
