import type { ResolvedResource, ResolvedSpec } from '../config/index.js';
import { ConfigError, type KeyPath, type Problem } from '../config/types.js';
import { sortByPosition } from '../config/validate.js';
import { buildPlan, isAgentrunComponent } from './index.js';
import type { DeployTarget, Plan, ResourcePlan } from './types.js';

export interface PlannedTargets {
  plan: Plan;
  targets: DeployTarget[];
}

/**
 * The `resource` input's choice of resources, their request bodies and their deploy targets. Throws a
 * ConfigError with every problem of the s.yaml at once: schema errors and settings this action cannot
 * carry out alike.
 */
export function planTargets(
  spec: ResolvedSpec,
  names: readonly string[],
  accountId: string | undefined,
): PlannedTargets {
  const selection = selectionProblems(spec, names);
  if (selection.length) throw new ConfigError(selection, spec.secretValues);
  const selected = spec.resources.filter(
    (resource) =>
      names.length === 0 || names.includes(resource.name) || !isAgentrunComponent(resource.component),
  );
  const problems = selected
    .filter((resource) => isAgentrunComponent(resource.component))
    .flatMap((resource) => unsupportedSettings(resource, spec));
  let plan: Plan | undefined;
  try {
    plan = buildPlan({ ...spec, resources: selected }, { accountId });
    problems.push(...plan.warnings);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (!plan || problems.some((problem) => problem.severity === 'error')) {
    throw new ConfigError(sortByPosition(problems), spec.secretValues);
  }
  return { plan, targets: plan.resources.map((resource) => deployTarget(resource, spec)) };
}

/** Names in the `resource` input that are not in the file, or are not agentrun resources. */
function selectionProblems(spec: ResolvedSpec, names: readonly string[]): Problem[] {
  const known = spec.resources.map((resource) => resource.name);
  return names.flatMap((name): Problem[] => {
    const resource = spec.resources.find((candidate) => candidate.name === name);
    if (!resource) {
      const message = `no resource named "${name}" (the file has: ${known.join(', ')})`;
      return [{ severity: 'error', path: ['resources'], message, position: spec.locate(['resources']) }];
    }
    if (isAgentrunComponent(resource.component)) return [];
    const path = ['resources', name, 'component'];
    const message = `"${name}" is a ${resource.component} resource; this action deploys agentrun resources only`;
    return [{ severity: 'error', path, message, position: spec.locate(path) }];
  });
}

function deployTarget(plan: ResourcePlan, spec: ResolvedSpec): DeployTarget {
  const resolved = resolvedResource(spec, plan.resource);
  return {
    resource: plan.resource,
    region: plan.region,
    runtime: plan.workspace?.id ? { ...plan.runtime, workspaceId: plan.workspace.id } : plan.runtime,
    ...(plan.workspace !== undefined && { workspace: plan.workspace }),
    endpoints: plan.endpoints,
    codeSrc: plan.code && 'src' in plan.code ? plan.code.src : undefined,
    actions: resolved.actions,
    stage: resolved.stage,
    ...(plan.autoLog && { autoLog: true }),
  };
}

function resolvedResource(spec: ResolvedSpec, name: string): ResolvedResource {
  return spec.resources.find((resource) => resource.name === name)!;
}

/** Settings that need other cloud APIs or Serverless Devs' runtime, refused before anything is deployed. */
function unsupportedSettings(resource: ResolvedResource, spec: ResolvedSpec): Problem[] {
  const root = ['resources', resource.name, 'props'];
  const problem = (path: KeyPath, message: string): Problem => ({
    severity: 'error',
    path: [...root, ...path],
    message,
    position: spec.locate([...root, ...path]),
  });
  const problems = runtimeReferences(resource.props).map(({ path, text }) =>
    problem(
      path,
      `${text} is the output of another resource's deploy, which this action does not pass between resources; use a fixed value or \`\${vars.…}\``,
    ),
  );
  const agent = (resource.props.agent ?? {}) as { workspace?: { id?: unknown; name?: unknown } };
  // As the component's deploy refuses it (`getWorkspace`): a workspace block must say which one.
  if (
    agent.workspace &&
    typeof agent.workspace === 'object' &&
    !agent.workspace.id &&
    !agent.workspace.name
  ) {
    problems.push(
      problem(
        ['agent', 'workspace'],
        "expected the workspace `id` or `name`; leave `workspace` out to use the account's default workspace",
      ),
    );
  }
  return problems;
}

/**
 * `${resources.X.output…}`/`.info` and `${components.…}` references, which Serverless Devs leaves in
 * place at parse time and fills in only while it runs the resources.
 */
function runtimeReferences(value: unknown, path: KeyPath = []): { path: KeyPath; text: string }[] {
  if (typeof value === 'string') {
    const reference = /\$\{\s*(resources|components)\.[^}]*\}/.exec(value);
    return reference ? [{ path, text: reference[0] }] : [];
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      runtimeReferences(item, [...path, Array.isArray(value) ? Number(key) : key]),
    );
  }
  return [];
}
