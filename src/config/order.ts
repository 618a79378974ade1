/** Execution order of resources: YAML order, `${resources.X.output...}` dependencies, `flow:` stages. */
import { MAGIC_PATTERN } from './interpolate.js';

/** Resource name → names of the resources whose output it reads. */
export type Dependencies = ReadonlyMap<string, ReadonlySet<string>>;

function collectStrings(value: unknown, into: string[]): string[] {
  if (typeof value === 'string') into.push(value);
  else if (value !== null && typeof value === 'object')
    Object.values(value).forEach((item) => collectStrings(item, into));
  return into;
}

/** s's Order.getDependencies: only `${resources.<known name>.output...}` inside props counts. */
export function findDependencies(resources: readonly { name: string; props: unknown }[]): Dependencies {
  const names = new Set(resources.map((resource) => resource.name));
  const global = new RegExp(MAGIC_PATTERN.source, 'g');
  return new Map(
    resources.map(({ name, props }) => {
      const needs = new Set<string>();
      for (const text of collectStrings(props, [])) {
        for (const match of text.matchAll(global)) {
          const [prefix, other, output] = match[1].split('.');
          if (prefix === 'resources' && output === 'output' && names.has(other)) needs.add(other);
        }
      }
      return [name, needs];
    }),
  );
}

/**
 * s's Order.analysis: repeatedly takes the first resource (in YAML order) whose dependencies already
 * ran. Resources caught in a cycle never qualify; s runs them last, in YAML order, and so do we.
 */
export function orderByDependencies(
  names: readonly string[],
  dependencies: Dependencies,
): {
  order: string[];
  cyclic: string[];
} {
  const done = new Set<string>();
  const order: string[] = [];
  for (;;) {
    const next = names.find(
      (name) => !done.has(name) && [...(dependencies.get(name) ?? [])].every((other) => done.has(other)),
    );
    if (next === undefined) break;
    done.add(next);
    order.push(next);
  }
  const cyclic = names.filter((name) => !done.has(name));
  return { order: [...order, ...cyclic], cyclic };
}

/** One resource placed by `flow:`; `stage` is the index of its inner list. */
export interface FlowStep {
  name: string;
  stage: number;
}

/** s's doFlow checks, with its messages; returns the steps or the first problem found per check. */
export function applyFlow(
  stages: unknown,
  command: string,
  names: readonly string[],
  dependencies: Dependencies,
): { steps: FlowStep[]; errors: string[] } {
  const steps: FlowStep[] = [];
  const errors: string[] = [];
  const list = Array.isArray(stages)
    ? stages
    : stages !== null && typeof stages === 'object'
      ? Object.values(stages)
      : [];
  list.forEach((stage: unknown, index) => {
    if (!Array.isArray(stage)) {
      errors.push(`flow ${command} data format is invalid.`);
      return;
    }
    for (const name of stage as unknown[]) {
      if (typeof name !== 'string' || !names.includes(name)) {
        errors.push(`Resource ${String(name)} is not found. Please check the content of flow.`);
      } else {
        steps.push({ name, stage: index });
      }
    }
  });
  const stageOf = new Map(steps.map((step) => [step.name, step.stage]));
  for (const [name, needs] of dependencies) {
    for (const other of needs) {
      const before = stageOf.get(other);
      const after = stageOf.get(name);
      if (before !== undefined && after !== undefined && before >= after) {
        errors.push(`flow is invalid, ${other} must be executed before ${name}`);
      }
    }
  }
  return { steps, errors };
}
