import { LATEST, type LogConfiguration } from '../../agentrun/model.js';
import { queryRuntimeLogs, type LogLine } from '../../logs/query.js';
import type { DeployTarget } from '../../plan/types.js';
import { apiFor, credentialsFor, plannedTargets, type CommandContext } from '../context.js';
import { accountIdOf, slsFor } from '../logs.js';
import { AUTO_LOG, autoLogProject } from '../../logs/layout.js';
import { DEFAULT_LOGS_OPTIONS } from '../../logs/options.js';

/** One line as `--json` prints it. */
export interface ResourceLogLine extends LogLine {
  resource: string;
}

const SAMPLES = 100;
const FOLLOW_INTERVAL_MS = 2000;

/**
 * `logs`: the lines the deployed agents printed, from their runtime's logstore, oldest first; with
 * `--follow`, new ones as they arrive. A runtime without a logstore is an error that says how to get one.
 */
export async function logs(context: CommandContext): Promise<ResourceLogLine[]> {
  const { settings, host, deps } = context;
  const options = settings.logs ?? DEFAULT_LOGS_OPTIONS;
  const { targets } = await plannedTargets(context);
  const credentials = await credentialsFor(context);
  const api = apiFor(context, credentials);
  const sls = slsFor(context, credentials);
  const sources: { target: DeployTarget; logstore: Required<LogConfiguration> }[] = [];
  for (const target of targets) {
    sources.push({ target, logstore: await logstoreOf(context, target, api(target.region), credentials) });
  }
  const read = async (fromMs: number, toMs: number): Promise<ResourceLogLine[]> => {
    const found: ResourceLogLine[] = [];
    for (const { target, logstore } of sources) {
      const { lines, capped } = await queryRuntimeLogs(sls(target.region), {
        logstore,
        runtime: target.runtime.agentRuntimeName,
        version: options.version,
        endpoint: options.endpoint,
        query: options.query,
        fromMs,
        toMs,
        samples: SAMPLES,
      });
      if (capped) host.logger.info(`${target.resource}: more lines than shown; narrow --since or --query.`);
      found.push(...lines.map((line) => ({ resource: target.resource, ...line })));
    }
    return found.sort((a, b) => a.timeMs - b.timeMs);
  };
  let until = deps.clock.now();
  const shown = await read(until - options.sinceMs, until);
  const multiple = sources.length > 1;
  for (const line of shown) host.print(renderLine(line, multiple));
  if (!options.follow) {
    if (shown.length === 0) host.logger.info(`No lines in the last ${options.sinceMs / 60_000} min.`);
    return shown;
  }
  // SLS keeps whole seconds: each read starts a second back, and skips the lines already printed.
  const seen = new Map(shown.map((line) => [lineKey(line), line.timeMs]));
  for (;;) {
    await deps.clock.sleep(FOLLOW_INTERVAL_MS);
    const from = until - 1000;
    until = deps.clock.now();
    const fresh = (await read(from, until)).filter((line) => !seen.has(lineKey(line)));
    for (const line of fresh) {
      host.print(renderLine(line, multiple));
      seen.set(lineKey(line), line.timeMs);
    }
    // Only lines a later read can return again need remembering.
    for (const [key, timeMs] of seen) if (timeMs < from - 2000) seen.delete(key);
  }
}

/**
 * Where a runtime's lines are: the deployed runtime's `logConfiguration` (what the agent really writes
 * to), else what the s.yaml asks for.
 */
async function logstoreOf(
  context: CommandContext,
  target: DeployTarget,
  api: ReturnType<ReturnType<typeof apiFor>>,
  credentials: Parameters<typeof accountIdOf>[1],
): Promise<Required<LogConfiguration>> {
  const deployed = (await api.findRuntime(target.runtime.agentRuntimeName, target.workspace))
    ?.logConfiguration;
  const planned = target.autoLog
    ? {
        project: autoLogProject(await accountIdOf(context, credentials), target.region),
        logstore: AUTO_LOG.logstore,
      }
    : target.runtime.logConfiguration;
  const found = deployed?.project && deployed.logstore ? deployed : planned;
  if (found?.project && found.logstore) return { project: found.project, logstore: found.logstore };
  throw new Error(
    `${target.resource}: runtime ${target.runtime.agentRuntimeName} has no logstore, so its output is not kept. ` +
      'Add `logConfig: auto` to its agent in the s.yaml (or `logConfig: {project, logstore}` naming an SLS ' +
      'logstore you have) and deploy again; the agent’s stdout and stderr then go to SLS.',
  );
}

function lineKey(line: ResourceLogLine): string {
  return `${line.resource}\n${line.timeMs}\n${line.instance}\n${line.message}`;
}

/**
 * `2026-01-02T03:04:05Z [v3 prod c-1a2b] message`: version, the endpoint the instance started for
 * (left out when it is the version itself, LATEST), instance; the resource first when there are several.
 */
function renderLine(line: ResourceLogLine, withResource: boolean): string {
  const time = new Date(line.timeMs).toISOString().replace('.000Z', 'Z');
  const version = line.version === LATEST ? LATEST : `v${line.version}`;
  const endpoint = line.endpoint === line.version ? '' : line.endpoint;
  const where = [version, endpoint, line.instance].filter(Boolean).join(' ');
  return `${time} ${withResource ? `${line.resource} ` : ''}[${where}] ${line.message}`;
}
