import { logFailureOutput } from '../diagnose/output.js';
import type { AgentRunApi, Version } from '../agentrun/api.js';
import { LATEST } from '../agentrun/model.js';
import { WaitError } from '../agentrun/wait.js';
import type { DeployTarget } from '../plan/types.js';
import type { Fingerprint } from './fingerprint.js';
import type { Clock } from '../system/clock.js';
import type { CommandRunner } from '../system/runner.js';
import type { ActionEntry } from '../config/index.js';
import { BufferedLogger, type Logger } from '../log.js';
import { formatBytes } from '../package/errors.js';
import type { CodePackage } from '../package/index.js';
import { withTargetCode, type CodeOptions } from './code.js';
import { reconcileEndpoints, type EndpointResult } from './endpoints.js';
import type { RoutingHold } from './routing.js';
import { hooksFor, runHooks } from './hooks.js';
import { settleWithLimit } from './parallel.js';
import { desiredRuntime, ensurePublished, type RuntimeResult } from './runtime.js';

export interface DeployOptions extends CodeOptions {
  globalActions: Record<string, ActionEntry[]>;
  runHooks: boolean;
  publish: boolean;
  parallel: number;
  timeoutMs: number;
  /** Recorded in each published version's description, e.g. the commit and workflow run. */
  trigger: string;
  env: NodeJS.ProcessEnv;
  /** The API client for a region. */
  api(region: string): AgentRunApi;
  /** The account's ARMS licence key in a region, for an `armsConfiguration` without one. */
  armsLicenseKey?(region: string): Promise<string>;
  /** Endpoints whose traffic split another owner holds (see routing.ts). */
  hold: RoutingHold;
  runner: CommandRunner;
  clock: Clock;
  /**
   * The failing version's own account of a runtime or endpoint that did not become ready, read from
   * its logs (`version` undefined: any version); undefined when there is nothing to read.
   */
  diagnose?(target: DeployTarget, version: string | undefined): Promise<string | undefined>;
}

export interface ResourceResult {
  target: DeployTarget;
  runtime: RuntimeResult;
  /** The version that holds the deployed configuration (absent with `publish: false`). */
  version?: Version;
  /** Whether this run published `version`. */
  published: boolean;
  /** The digests of the configuration and code this run deployed, as a version it publishes records them. */
  fingerprint: Fingerprint;
  endpoints: EndpointResult[];
  package?: Pick<CodePackage, 'bytes' | 'files' | 'checksum'>;
}

export class DeployError extends Error {
  constructor(
    message: string,
    readonly results: ResourceResult[],
    /** What each resource that failed to deploy failed with, by resource name. */
    readonly causes: ReadonlyMap<string, unknown> = new Map(),
  ) {
    super(message);
    this.name = 'DeployError';
  }
}

/**
 * Deploys every target, stage by stage and at most `parallel` at once, wrapped in the s.yaml's deploy
 * hooks in the order `s deploy` runs them: global pre → per resource (pre → deploy → post →
 * success|fail → complete) → global success|fail → complete.
 */
export async function deployAll(
  targets: readonly DeployTarget[],
  options: DeployOptions,
): Promise<ResourceResult[]> {
  const hook = (
    actions: Record<string, ActionEntry[]>,
    phase: Parameters<typeof hooksFor>[1],
    owner: string,
    logger = options.logger,
  ) =>
    options.runHooks
      ? runHooks(hooksFor(actions, phase), `${phase}-deploy`, {
          baseDir: options.baseDir,
          env: options.env,
          owner,
          logger,
          runner: options.runner,
        })
      : Promise.resolve();

  const results = new Map<DeployTarget, ResourceResult>();
  // As in `s`, a failing pre-deploy hook counts as a failed deploy: the fail and complete hooks follow.
  // A resource that deployed keeps its result (and outputs) even when a hook after it fails.
  const deployWithHooks = async (target: DeployTarget, logger: Logger) => {
    const hooks = (phase: Parameters<typeof hooksFor>[1]) =>
      hook(target.actions, phase, target.resource, logger);
    try {
      await hooks('pre');
      results.set(target, await deployOne(target, { ...options, logger }, options.logger));
      await hooks('post');
      await hooks('success');
    } catch (error) {
      await logFailureOutput(logger, error);
      await hooks('fail').catch((hookError: unknown) => {
        throw new Error(
          `${errorMessage(error)}\nThen the fail-deploy hook failed too: ${errorMessage(hookError)}`,
        );
      });
      throw error;
    } finally {
      await hooks('complete');
    }
  };

  await hook(options.globalActions, 'pre', 'global');
  const failures: string[] = [];
  const causes = new Map<string, unknown>();
  for (const stage of stages(targets)) {
    if (failures.length) {
      failures.push(
        ...stage.map((target) => `${target.resource}: not deployed, an earlier flow stage failed`),
      );
      continue;
    }
    // Resources deploying side by side would interleave their lines and break the log's groups, so
    // each one's log is held back and written in one piece when it is done.
    const concurrent = options.parallel > 1 && stage.length > 1;
    const settled = await settleWithLimit(stage, options.parallel, async (target) => {
      const buffer = concurrent ? new BufferedLogger(options.logger) : undefined;
      try {
        await deployWithHooks(target, buffer ?? options.logger);
      } finally {
        await buffer?.flush();
      }
    });
    settled.forEach((outcome, i) => {
      if (outcome.status !== 'rejected') return;
      failures.push(`${stage[i]!.resource}: ${errorMessage(outcome.reason)}`);
      causes.set(stage[i]!.resource, outcome.reason);
    });
  }
  const deployed = targets.flatMap((target) => results.get(target) ?? []);
  try {
    await hook(options.globalActions, failures.length ? 'fail' : 'success', 'global');
  } finally {
    await hook(options.globalActions, 'complete', 'global');
  }
  if (failures.length) throw new DeployError(failures.join('\n'), deployed, causes);
  return deployed;
}

/** Targets grouped by flow stage, in stage order (all in one stage when the s.yaml has no flow). */
export function stages(targets: readonly DeployTarget[]): DeployTarget[][] {
  const byStage = new Map<number, DeployTarget[]>();
  for (const target of targets)
    byStage.set(target.stage ?? 0, [...(byStage.get(target.stage ?? 0) ?? []), target]);
  return [...byStage.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

/**
 * Deploys one resource. Its log goes to `logger` (held back while deploying in parallel); the
 * progress of each wait goes straight to `progress`, so a long wait is never silent.
 */
async function deployOne(
  target: DeployTarget,
  options: DeployOptions,
  progress: Logger,
): Promise<ResourceResult> {
  const { logger } = options;
  const client = options.api(target.region);
  const wait = {
    timeoutMs: options.timeoutMs,
    clock: options.clock,
    onProgress: progressReporter(progress),
  };
  return logger.group(
    `Deploy ${target.resource} (${target.runtime.agentRuntimeName}, ${target.region})`,
    () =>
      withTargetCode(target, options, async (code) => {
        const desired = {
          ...desiredRuntime(target.runtime, code, target.workspace),
          ...(options.armsLicenseKey && { armsLicenseKey: () => options.armsLicenseKey!(target.region) }),
        };
        const { runtime, outcome } = await diagnosed(options, target, LATEST, () =>
          ensurePublished(client, desired, code, wait, options.publish ? options.trigger : undefined),
        );
        logger.info(describeRuntime(runtime));
        if (runtime.kept.length) {
          logger.warning(
            `${runtime.kept.join(', ')} ${runtime.kept.length === 1 ? 'is' : 'are'} no longer in the s.yaml but still set on ` +
              `agent runtime ${runtime.runtime.agentRuntimeName}: an update keeps settings it does not send. ` +
              'Set the value you want in the s.yaml, or clear it in the AgentRun console.',
          );
        }
        if (outcome?.published) logger.info(`Published version ${outcome.version.agentRuntimeVersion}`);
        const endpoints = await diagnosed(options, target, outcome?.version.agentRuntimeVersion, () =>
          reconcileEndpoints(client, runtime.runtime.agentRuntimeId, target.endpoints, wait, options.hold),
        );
        for (const { endpoint, action, heldBy } of endpoints) {
          const held = heldBy ? ` (traffic split kept: ${heldBy})` : '';
          logger.info(
            `Endpoint ${endpoint.agentRuntimeEndpointName} ${action}${held}: ${endpoint.endpointPublicUrl}`,
          );
        }
        const pkg = await code.packaged();
        return {
          target,
          runtime,
          version: outcome?.version,
          published: outcome?.published ?? false,
          fingerprint: desired.fingerprint,
          endpoints,
          package: pkg && { bytes: pkg.bytes, files: pkg.files, checksum: pkg.checksum },
        };
      }),
  );
}

/**
 * Runs a step that waits for readiness; when it fails there, the failing version's decisive log line
 * leads the error, so the annotation, the summary and the PR comment say what the agent said.
 */
async function diagnosed<T>(
  options: DeployOptions,
  target: DeployTarget,
  version: string | undefined,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof WaitError) || !options.diagnose) throw error;
    const said = await options.diagnose(target, version);
    if (said === undefined) throw error;
    throw new WaitError(
      `${said}\n${error.message}`,
      error.status,
      error.statusReason,
      error.timedOut,
      error.subject,
    );
  }
}

const PROGRESS_EVERY_MS = 15_000;

/** Logs a wait's state when it changes, and otherwise every 15 s, rather than on every poll. */
function progressReporter(logger: Logger) {
  let last: { subject: string; status: string; at: number } | undefined;
  return (subject: string, status: string, elapsedMs: number) => {
    const changed = !last || last.subject !== subject || last.status !== status;
    if (!changed && elapsedMs - last!.at < PROGRESS_EVERY_MS) return;
    last = { subject, status, at: elapsedMs };
    logger.info(`${subject}: ${status} (${(elapsedMs / 1000).toFixed(1)} s)`);
  };
}

function describeRuntime({ runtime, action, reasons, uploadedBytes }: RuntimeResult): string {
  const name = `Agent runtime ${runtime.agentRuntimeName} (${runtime.agentRuntimeId})`;
  if (action === 'unchanged') return `${name} unchanged: nothing uploaded.`;
  const why = reasons.length ? ` (${reasons.join(', ')})` : '';
  return `${name} ${action}${why}, ${formatBytes(uploadedBytes)} of code uploaded; ${runtime.status}.`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
