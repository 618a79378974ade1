import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AgentRunClient } from '../agentrun/client.js';
import type { AgentRuntimeEndpointInput, AgentRuntimeInput, AgentRuntimeVersion } from '../agentrun/types.js';
import type { Clock } from '../agentrun/wait.js';
import type { ActionEntry } from '../config/index.js';
import { BufferedLogger, type Logger } from '../log.js';
import { formatBytes } from '../package/errors.js';
import { packageCode, type CodePackage } from '../package/index.js';
import { reconcileEndpoints, type EndpointResult } from './endpoints.js';
import { hooksFor, runHooks } from './hooks.js';
import { settleWithLimit } from './parallel.js';
import { ensureRuntime, fingerprint, publishIfNew, withChecksum, type RuntimeResult } from './runtime.js';

/** One agentrun resource, ready to deploy: its request bodies and where its code is. */
export interface DeployTarget {
  resource: string;
  region: string;
  runtime: AgentRuntimeInput;
  endpoints: AgentRuntimeEndpointInput[];
  /** `code.src` (directory or .zip), relative to the s.yaml; absent for container images and OSS code. */
  codeSrc?: string;
  actions: Record<string, ActionEntry[]>;
  /** The s.yaml `flow:` stage: stages deploy one after the other, and a failed one stops the rest. */
  stage?: number;
}

export interface DeployOptions {
  baseDir: string;
  globalActions: Record<string, ActionEntry[]>;
  runHooks: boolean;
  publish: boolean;
  parallel: number;
  timeoutMs: number;
  maxInlineBytes: number;
  /** Recorded in each published version's description, e.g. the commit and workflow run. */
  trigger: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  clientFor(region: string): AgentRunClient;
  clock?: Clock;
}

export interface ResourceResult {
  target: DeployTarget;
  runtime: RuntimeResult;
  /** The version published by this run, if any. */
  published?: AgentRuntimeVersion;
  endpoints: EndpointResult[];
  package?: Pick<CodePackage, 'bytes' | 'files' | 'checksum'>;
}

export class DeployError extends Error {
  constructor(
    message: string,
    readonly results: ResourceResult[],
  ) {
    super(message);
    this.name = 'DeployError';
  }
}

const MAX_POLL_INTERVAL_MS = 5_000;

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
        })
      : undefined;

  // As in `s`, a failing pre-deploy hook counts as a failed deploy: the fail and complete hooks follow.
  const deployWithHooks = async (target: DeployTarget, concurrent: boolean) => {
    const buffer = concurrent ? new BufferedLogger(options.logger) : undefined;
    const logger = buffer ?? options.logger;
    try {
      await hook(target.actions, 'pre', target.resource, logger);
      const result = await deployOne(target, { ...options, logger });
      await hook(target.actions, 'post', target.resource, logger);
      await hook(target.actions, 'success', target.resource, logger);
      return result;
    } catch (error) {
      await hook(target.actions, 'fail', target.resource, logger);
      throw error;
    } finally {
      await hook(target.actions, 'complete', target.resource, logger);
      await buffer?.flush();
    }
  };

  await hook(options.globalActions, 'pre', 'global');
  const results: ResourceResult[] = [];
  const failures: string[] = [];
  for (const stage of stages(targets)) {
    if (failures.length) {
      failures.push(
        ...stage.map((target) => `${target.resource}: not deployed, an earlier flow stage failed`),
      );
      continue;
    }
    const concurrent = options.parallel > 1 && stage.length > 1;
    const settled = await settleWithLimit(stage, options.parallel, (target) =>
      deployWithHooks(target, concurrent),
    );
    settled.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') results.push(outcome.value);
      else failures.push(`${stage[i]!.resource}: ${errorMessage(outcome.reason)}`);
    });
  }
  try {
    await hook(options.globalActions, failures.length ? 'fail' : 'success', 'global');
  } finally {
    await hook(options.globalActions, 'complete', 'global');
  }
  if (failures.length) throw new DeployError(failures.join('\n'), results);
  return results;
}

/** Targets grouped by flow stage, in stage order (all in one stage when the s.yaml has no flow). */
function stages(targets: readonly DeployTarget[]): DeployTarget[][] {
  const byStage = new Map<number, DeployTarget[]>();
  for (const target of targets)
    byStage.set(target.stage ?? 0, [...(byStage.get(target.stage ?? 0) ?? []), target]);
  return [...byStage.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}

async function deployOne(target: DeployTarget, options: DeployOptions): Promise<ResourceResult> {
  const { logger } = options;
  const client = options.clientFor(target.region);
  const wait = {
    timeoutMs: options.timeoutMs,
    maxIntervalMs: MAX_POLL_INTERVAL_MS,
    clock: options.clock,
    onProgress: (subject: string, status: string, elapsedMs: number) =>
      logger.info(`${subject}: ${status} (${(elapsedMs / 1000).toFixed(1)} s)`),
  };
  return logger.group(
    `Deploy ${target.resource} (${target.runtime.agentRuntimeName}, ${target.region})`,
    () =>
      withPackage(target, options.baseDir, options.maxInlineBytes, logger, async (pkg) => {
        const desired = withChecksum(target.runtime, pkg);
        const runtime = await ensureRuntime(client, desired, pkg, wait);
        logger.info(describeRuntime(runtime));
        let published: AgentRuntimeVersion | undefined;
        if (options.publish) {
          const outcome = await publishIfNew(
            client,
            runtime.runtime.agentRuntimeId,
            fingerprint(desired),
            options.trigger,
          );
          if (outcome.published) {
            published = outcome.version;
            logger.info(`Published version ${published.agentRuntimeVersion}`);
          }
        }
        const endpoints = await reconcileEndpoints(
          client,
          runtime.runtime.agentRuntimeId,
          target.endpoints,
          wait,
        );
        for (const { endpoint, action } of endpoints) {
          logger.info(
            `Endpoint ${endpoint.agentRuntimeEndpointName} ${action}: ${endpoint.endpointPublicUrl}`,
          );
        }
        return {
          target,
          runtime,
          published,
          endpoints,
          package: pkg && { bytes: pkg.bytes, files: pkg.files, checksum: pkg.checksum },
        };
      }),
  );
}

/**
 * Packages the target's code (if it has a `code.src`), hands the package to `use`, and always removes
 * the temporary zip afterwards.
 */
export async function withPackage<T>(
  target: DeployTarget,
  baseDir: string,
  maxInlineBytes: number,
  logger: Logger,
  use: (pkg: CodePackage | undefined) => Promise<T>,
): Promise<T> {
  const pkg = target.codeSrc
    ? await packageCode({ src: target.codeSrc, baseDir, maxInlineBytes, logger })
    : undefined;
  try {
    return await use(pkg);
  } finally {
    if (pkg?.source === 'directory') await rm(dirname(pkg.zipPath), { recursive: true, force: true });
  }
}

function describeRuntime({ runtime, action, changes, uploadedBytes }: RuntimeResult): string {
  const name = `Agent runtime ${runtime.agentRuntimeName} (${runtime.agentRuntimeId})`;
  if (action === 'unchanged') return `${name} unchanged: nothing uploaded.`;
  const what = changes.length ? ` (${changes.join(', ')})` : '';
  return `${name} ${action}${what}, ${formatBytes(uploadedBytes)} of code uploaded; ${runtime.status}.`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
