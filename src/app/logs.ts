/**
 * What the commands share about Simple Log Service: one client per endpoint, the account id for
 * `logConfig: auto`, and ensuring its project and logstore before a deploy.
 */
import type { CreateAgentRuntimeInput } from '../agentrun/model.js';
import type { RetryPolicy } from '../agentrun/retry.js';
import type { Credentials } from '../credentials/index.js';
import { diagnoseFromLogs } from '../diagnose/logs.js';
import { getCallerIdentity } from '../credentials/sts.js';
import { SlsError, type SlsApi } from '../logs/api.js';
import { ensureAutoLogstore, missingParts } from '../logs/ensure.js';
import { AUTO_LOG, autoLogProject } from '../logs/layout.js';
import { SlsCodes, slsRegionEndpoint } from '../logs/model.js';
import type { DeployTarget } from '../plan/types.js';
import { queryRuntimeLogs } from '../logs/query.js';
import type { ErrorLogSource } from '../rollout/providers/provider.js';
import type { Runtime } from '../agentrun/api.js';
import type { CommandContext } from './context.js';

/** One SLS client per endpoint: `sls-endpoint`, or each region's own. */
export function slsFor(
  { settings, host, deps }: CommandContext,
  credentials: Credentials,
  retry?: RetryPolicy,
): (region: string) => SlsApi {
  const clients = new Map<string, SlsApi>();
  return (region) => {
    const endpoint = settings.slsEndpoint ?? slsRegionEndpoint(region);
    let client = clients.get(endpoint);
    if (!client) {
      client = deps.sls({
        endpoint,
        credentials,
        requestTimeoutMs: settings.requestTimeoutMs,
        retry,
        clock: deps.clock,
        onRetry: (message) => host.logger.warning(message),
      });
      clients.set(endpoint, client);
    }
    return client;
  };
}

/** The account id: from the credentials (role ARN, `AccountID`), else STS GetCallerIdentity. */
export async function accountIdOf(context: CommandContext, credentials: Credentials): Promise<string> {
  return credentials.accountId ?? getCallerIdentity(credentials, context.settings.credentials.stsEndpoint);
}

/** The targets with `logConfig: auto` given the account's project and logstore as `logConfiguration`. */
function resolveAutoLogs(targets: readonly DeployTarget[], accountId: string): DeployTarget[] {
  return targets.map((target) => {
    if (!target.autoLog) return target;
    const logConfiguration = {
      project: autoLogProject(accountId, target.region),
      logstore: AUTO_LOG.logstore,
    };
    return { ...target, runtime: { ...target.runtime, logConfiguration } };
  });
}

/**
 * The targets with `logConfig: auto` resolved as the component resolves it: the account's project
 * `aliyun-serverless-<account>-<region>` and logstore `default-logs`, created when missing, sent as
 * the runtime's `logConfiguration`. Tells the explicit `logConfig` that pins them in the s.yaml.
 */
export async function withAutoLogs(
  context: CommandContext,
  targets: readonly DeployTarget[],
  credentials: Credentials,
): Promise<DeployTarget[]> {
  if (!targets.some((target) => target.autoLog)) return [...targets];
  const { logger } = context.host;
  const resolved = resolveAutoLogs(targets, await accountIdOf(context, credentials));
  const sls = slsFor(context, credentials);
  const ensured = new Set<string>();
  for (const target of resolved.filter((candidate) => candidate.autoLog)) {
    const project = target.runtime.logConfiguration!.project!;
    if (!ensured.has(project)) {
      ensured.add(project);
      const state = await ensureAutoLogstore(sls(target.region), project, target.region);
      const made = Object.entries(state).filter(([, value]) => value === 'created');
      const what = made.length ? `created: ${made.map(([part]) => part).join(', ')}` : 'already there';
      logger.info(`logConfig: auto: SLS project ${project}, logstore ${AUTO_LOG.logstore} (${what})`);
    }
    logger.notice(
      `${target.resource}: logConfig: auto uses SLS project ${project}; to pin it, write in the s.yaml:\n` +
        `        logConfig:\n          project: ${project}\n          logstore: ${AUTO_LOG.logstore}`,
    );
  }
  return resolved;
}

/** The target as a deploy sends it: with `logConfig: auto` resolved to the account's project. Reads only. */
export async function asDeployed(
  context: CommandContext,
  target: DeployTarget,
  credentials: Credentials,
): Promise<DeployTarget> {
  if (!target.autoLog) return target;
  return resolveAutoLogs([target], await accountIdOf(context, credentials))[0]!;
}

/**
 * For `plan`: the targets as a deploy would send them, and one line per `logConfig: auto` resource
 * saying what a deploy would create. Reads only.
 */
export async function planAutoLogs(
  context: CommandContext,
  targets: readonly DeployTarget[],
  credentials: Credentials,
): Promise<{ targets: DeployTarget[]; lines: string[] }> {
  if (!targets.some((target) => target.autoLog)) return { targets: [...targets], lines: [] };
  const resolved = resolveAutoLogs(targets, await accountIdOf(context, credentials));
  const sls = slsFor(context, credentials);
  const lines: string[] = [];
  for (const target of resolved.filter((candidate) => candidate.autoLog)) {
    const project = target.runtime.logConfiguration!.project!;
    const missing = await missingParts(sls(target.region), project);
    lines.push(
      missing.length
        ? `${target.resource}: logConfig: auto will create ${missing.join(', ')}`
        : `${target.resource}: logConfig: auto uses SLS project ${project}, logstore ${AUTO_LOG.logstore} (exists)`,
    );
  }
  return { targets: resolved, lines };
}

const DIAGNOSIS_RETRY: RetryPolicy = { attempts: 2, baseDelayMs: 500, maxDelayMs: 1000 };

/** How far before the failing step the diagnosis reads: lines of earlier deploys are not this failure's. */
const DIAGNOSIS_SLACK_MS = 5_000;

/** A runtime whose failure is explained from its logs: its name, region and `logConfiguration`. */
export interface DiagnosedRuntime {
  region: string;
  runtime: Pick<CreateAgentRuntimeInput, 'agentRuntimeName' | 'logConfiguration'>;
}

/**
 * Explains a failure from the failing version's logs, for lines written from now on: the decisive line,
 * or undefined when the runtime has no logstore or it holds nothing. A logstore that cannot be read is
 * a warning, never a second failure.
 */
export function logDiagnosis(
  context: CommandContext,
  credentials: Credentials,
): (subject: DiagnosedRuntime, version: string | undefined) => Promise<string | undefined> {
  const { host, deps } = context;
  // An explanation must not hold up the failure it explains: one retry, short waits.
  const sls = slsFor(context, credentials, DIAGNOSIS_RETRY);
  const fromMs = deps.clock.now() - DIAGNOSIS_SLACK_MS;
  return async ({ region, runtime }, version) => {
    const { project, logstore } = runtime.logConfiguration ?? {};
    if (!project || !logstore) return undefined;
    try {
      return await diagnoseFromLogs(
        sls(region),
        { logstore: { project, logstore }, runtime: runtime.agentRuntimeName, version, fromMs },
        { clock: deps.clock, logger: host.logger },
      );
    } catch (error) {
      host.logger.warning(
        `Could not read the logs of ${runtime.agentRuntimeName} to explain the failure: ${(error as Error).message}`,
      );
      return undefined;
    }
  };
}

/** How many of the candidate's error lines a failed log gate shows. */
const MISSING = new Set<string>([SlsCodes.projectNotExist, SlsCodes.logStoreNotExist]);

const ERROR_LOG_SAMPLES = 5;

/**
 * The canary's error-log gate reads the candidate's lines in its runtime's logstore through this;
 * undefined when the runtime keeps no logs (none configured, or the project or logstore it names does
 * not exist), so the gate says it was skipped. Any other failure to read fails the stage.
 */
export function errorLogSource(
  context: CommandContext,
  credentials: Credentials,
  region: string,
  runtime: () => Promise<Pick<Runtime, 'logConfiguration'>>,
): ErrorLogSource {
  const sls = slsFor(context, credentials);
  return async ({ runtime: name, version, from, to, query }) => {
    const { project, logstore } = (await runtime()).logConfiguration ?? {};
    if (!project || !logstore) return undefined;
    const found = await queryRuntimeLogs(sls(region), {
      logstore: { project, logstore },
      runtime: name,
      version,
      query,
      fromMs: from.getTime(),
      toMs: to.getTime(),
      samples: ERROR_LOG_SAMPLES,
    }).catch((error: unknown) => {
      if (error instanceof SlsError && MISSING.has(error.code ?? '')) return undefined;
      throw error;
    });
    return found && { count: found.count, samples: found.lines.map((line) => line.message) };
  };
}
