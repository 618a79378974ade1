import { stages } from '../../deploy/index.js';
import { Outputs } from '../../deploy/report.js';
import { plannedTargets, type CommandContext } from '../context.js';

/** The selected agentrun resources, for a job matrix. */
export interface ListResult {
  /** Every name, in deploy order. */
  resources: string[];
  /** The names by `flow:` stage, in stage order; one stage without `flow:`. */
  stages: string[][];
}

/**
 * `list`: the selected agentrun resources as a job matrix takes them, validated as a deploy would
 * validate them, without credentials or network. A matrix runs its entries at once, so `flow:` order
 * holds across a matrix only stage by stage: `stages` gives one list per stage for one matrix job each.
 */
export async function list(context: CommandContext): Promise<ListResult> {
  const { host } = context;
  const { targets } = await plannedTargets(context);
  const grouped = stages(targets).map((stage) => stage.map((target) => target.resource));
  const result: ListResult = { resources: grouped.flat(), stages: grouped };
  host.setOutput(Outputs.Resources, JSON.stringify(result.resources));
  host.setOutput(Outputs.Stages, JSON.stringify(result.stages));
  if (grouped.length > 1) {
    host.logger.info(
      `The s.yaml's flow has ${grouped.length} stages: deploy them in order, one matrix job per entry of ` +
        'the `stages` output, each needing the one before.',
    );
  }
  // With the runtime names, which is what the AgentRun console shows.
  const line = new Map(
    targets.map((t) => [t.resource, `${t.resource} (runtime ${t.runtime.agentRuntimeName})`]),
  );
  host.print(
    grouped.length > 1
      ? grouped
          .map((names, i) => [`stage ${i + 1}:`, ...names.map((name) => `  ${line.get(name)!}`)].join('\n'))
          .join('\n')
      : result.resources.map((name) => line.get(name)!).join('\n'),
  );
  return result;
}
