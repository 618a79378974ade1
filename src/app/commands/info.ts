import { readInfo, type ResourceInfo } from '../../info/read.js';
import { renderInfo } from '../../info/render.js';
import { apiFor, credentialsFor, plannedTargets, type CommandContext } from '../context.js';
import { infoSummary } from '../summary.js';

/**
 * `info`: what is deployed for each resource of the s.yaml, as `s info` shows it: the runtime's status,
 * versions and who published them, endpoints with their splits and URLs, where logs go, and a rollout
 * in progress. Changes nothing.
 */
export async function info(context: CommandContext): Promise<ResourceInfo[]> {
  const { targets } = await plannedTargets(context);
  const api = apiFor(context, await credentialsFor(context));
  const infos: ResourceInfo[] = [];
  for (const target of targets) infos.push(await readInfo(api(target.region), target));
  context.host.print(renderInfo(infos));
  await context.host.writeSummary?.(infoSummary(infos));
  return infos;
}
