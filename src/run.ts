import { AgentRunClient, regionEndpoint } from './agentrun/client.js';
import { resolveSpec, type ResolvedSpec, type ResolveOptions } from './config/index.js';
import { ConfigError, formatProblem, type Problem } from './config/types.js';
import {
  knownAccountId,
  MissingCredentialsError,
  resolveCredentials,
  type Credentials,
} from './credentials/index.js';
import { diffTarget, renderDiff } from './deploy/diff.js';
import { unsupportedHooks } from './deploy/hooks.js';
import { DeployError, deployAll, withPackage, type ResourceResult } from './deploy/index.js';
import { deployOutputs, Outputs, summaryMarkdown } from './deploy/report.js';
import { planTargets } from './deploy/targets.js';
import type { Logger } from './log.js';
import { planToJson, renderPlan } from './plan/index.js';
import { maskableSecrets } from './secrets.js';
import type { Settings } from './settings.js';

/** What differs between running as an action and as a CLI. */
export interface Host {
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  setOutput(name: string, value: string): void;
  /** Prints a command's result (the CLI's stdout; the log in Actions). */
  print(text: string): void;
  writeSummary?(markdown: string): Promise<void>;
  getIDToken?(audience: string): Promise<string>;
  /** Where temporary files go; the action passes RUNNER_TEMP, which the runner cleans up. */
  tempDir?: string;
  /** Names this run in published version descriptions, e.g. commit and workflow run. */
  trigger: string;
}

/** Runs `settings.command`. Throws on failure; every problem has been logged by then. */
export async function run(settings: Settings, host: Host): Promise<void> {
  const spec = await loadSpec(settings, host);
  if (settings.command === 'plan') {
    await plan(spec, settings, host);
  } else {
    await deploy(spec, settings, host);
  }
}

/** Resolves the s.yaml and masks every secret it brought in before anything else is printed. */
async function loadSpec(settings: Settings, host: Host): Promise<ResolvedSpec> {
  let spec: ResolvedSpec;
  try {
    spec = await resolveSpec(resolveOptions(settings, host.env));
  } catch (error) {
    if (error instanceof ConfigError) reportConfigError(error, host.logger);
    throw error;
  }
  maskSecrets(spec.secretValues, host.logger);
  reportProblems(spec.warnings, host.logger);
  return spec;
}

/**
 * How the s.yaml is resolved. `${config('AccountID')}` gets the account id as far as it is known
 * before any network call; the keys, as with `s`, from Serverless Devs' own variables.
 */
export function resolveOptions(settings: Settings, env: Host['env']): ResolveOptions {
  return {
    cwd: settings.cwd,
    config: settings.config,
    env,
    envFile: settings.envFile,
    dotenv: settings.dotenv,
    secretEnv: settings.secretEnv,
    credential: {
      AccountID: knownAccountId(settings.credentials, env),
      AccessKeyID: env.AccessKeyID,
      AccessKeySecret: env.AccessKeySecret,
      SecurityToken: env.SecurityToken,
    },
  };
}

/** Registers the values the masking rule says to hide (see secrets.ts). */
export function maskSecrets(values: readonly string[], logger: Logger): void {
  for (const secret of maskableSecrets(values)) logger.setSecret(secret);
}

/** Reports a configuration error's problems, masking the secrets it knows of first. */
export function reportConfigError(error: ConfigError, logger: Logger): void {
  maskSecrets(error.secretValues, logger);
  reportProblems(error.problems, logger);
}

/**
 * `plan`: the desired state, and — when credentials are at hand — what a deploy would change.
 * Nothing is written to AgentRun.
 */
async function plan(spec: ResolvedSpec, settings: Settings, host: Host): Promise<void> {
  const { plan: desired, targets } = planFor(spec, settings, host.logger);
  host.print(renderPlan(desired));
  host.setOutput(Outputs.Plan, planToJson(desired));
  const credentials = await credentialsFor(spec, settings, host).catch((error: unknown) => {
    if (error instanceof MissingCredentialsError) return undefined;
    throw error;
  });
  if (!credentials) {
    host.logger.info('No credentials given: showing the desired state only, not what a deploy would change.');
    return;
  }
  const clientFor = clientsFor(settings, credentials, host.logger);
  const diffs = [];
  for (const target of targets) {
    const packaging = {
      baseDir: spec.dir,
      maxInlineBytes: settings.maxInlineBytes,
      tempDir: host.tempDir,
      logger: host.logger,
    };
    diffs.push(
      await withPackage(target, packaging, (pkg) => diffTarget(clientFor(target.region), target, pkg)),
    );
  }
  host.print(renderDiff(diffs));
}

async function deploy(spec: ResolvedSpec, settings: Settings, host: Host): Promise<void> {
  const { logger } = host;
  if (!settings.skipActions) checkHooks(spec);
  const { targets } = planFor(spec, settings, logger);
  const credentials = await credentialsFor(spec, settings, host);
  logger.info(`Credentials: ${credentials.source}`);
  let results: ResourceResult[];
  try {
    results = await deployAll(targets, {
      baseDir: spec.dir,
      globalActions: spec.actions,
      runHooks: !settings.skipActions,
      publish: settings.publish,
      parallel: settings.parallel,
      timeoutMs: settings.timeoutMs,
      maxInlineBytes: settings.maxInlineBytes,
      tempDir: host.tempDir,
      trigger: host.trigger,
      env: spec.env,
      logger,
      clientFor: clientsFor(settings, credentials, logger),
    });
  } catch (error) {
    // The resources that did deploy still get their outputs and summary rows.
    if (error instanceof DeployError && error.results.length) await report(error.results, host);
    throw error;
  }
  await report(results, host);
}

async function report(results: readonly ResourceResult[], host: Host): Promise<void> {
  for (const [name, value] of Object.entries(deployOutputs(results))) host.setOutput(name, value);
  await host.writeSummary?.(summaryMarkdown(results));
}

/**
 * Validates the selected agentrun resources (every problem of the file at once) and builds their
 * request bodies and deploy targets — before any network call, so a bad s.yaml never gets as far as
 * STS or AgentRun.
 */
function planFor(spec: ResolvedSpec, settings: Settings, logger: Logger) {
  try {
    const planned = planTargets(spec, settings.resources, knownAccountId(settings.credentials, spec.env));
    reportProblems(planned.plan.warnings, logger);
    return planned;
  } catch (error) {
    if (error instanceof ConfigError) reportConfigError(error, logger);
    throw error;
  }
}

/** Hook entries that need Serverless Devs fail the run before anything is deployed. */
function checkHooks(spec: ResolvedSpec): void {
  const unsupported = [spec.actions, ...spec.resources.map((r) => r.actions)].flatMap(unsupportedHooks);
  if (unsupported.length) {
    throw new Error(
      `These s.yaml actions need Serverless Devs and cannot run here: ${unsupported.join('; ')}. ` +
        'Replace them with `run:` commands, or set skip-actions: true.',
    );
  }
}

function credentialsFor(spec: ResolvedSpec, settings: Settings, host: Host): Promise<Credentials> {
  return resolveCredentials(settings.credentials, host.env, {
    getIDToken: host.getIDToken,
    setSecret: (value: string) => host.logger.setSecret(value),
    alias: spec.access,
  });
}

/** One client per control-plane endpoint: `api-endpoint`, or each region's own. */
function clientsFor(settings: Settings, credentials: Credentials, logger: Logger) {
  const clients = new Map<string, AgentRunClient>();
  return (region: string): AgentRunClient => {
    const endpoint = settings.apiEndpoint ?? regionEndpoint(region);
    let client = clients.get(endpoint);
    if (!client) {
      client = new AgentRunClient({
        endpoint,
        credentials,
        requestTimeoutMs: settings.requestTimeoutMs,
        onRetry: (message) => logger.warning(message),
      });
      clients.set(endpoint, client);
    }
    return client;
  };
}

/** Logs each problem at its file:line:col (an annotation in Actions). */
export function reportProblems(problems: readonly Problem[], logger: Logger): void {
  for (const problem of problems) {
    const message = formatProblem({ ...problem, position: undefined });
    if (problem.severity === 'error') logger.error(message, problem.position);
    else logger.warning(message, problem.position);
  }
}
