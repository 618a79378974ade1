import { AgentRunClient, regionEndpoint } from './agentrun/client.js';
import { resolveSpec, type ResolvedResource, type ResolvedSpec } from './config/index.js';
import { ConfigError, formatProblem, type KeyPath, type Problem } from './config/types.js';
import {
  knownAccountId,
  MissingCredentialsError,
  resolveCredentials,
  type Credentials,
} from './credentials/index.js';
import { diffTarget, renderDiff } from './deploy/diff.js';
import { unsupportedHooks } from './deploy/hooks.js';
import {
  DeployError,
  deployAll,
  withPackage,
  type DeployTarget,
  type ResourceResult,
} from './deploy/index.js';
import { deployOutputs, Outputs, summaryMarkdown } from './deploy/report.js';
import type { Logger } from './log.js';
import {
  buildPlan,
  isAgentrunComponent,
  planToJson,
  renderPlan,
  type Plan,
  type ResourcePlan,
} from './plan/index.js';
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
    spec = await resolveSpec({
      cwd: settings.cwd,
      config: settings.config,
      env: host.env,
      envFile: settings.envFile,
      dotenv: settings.dotenv,
    });
  } catch (error) {
    if (error instanceof ConfigError) reportProblems(error.problems, host.logger);
    throw error;
  }
  for (const secret of maskableSecrets(spec.secretValues)) host.logger.setSecret(secret);
  reportProblems(spec.warnings, host.logger);
  return spec;
}

/**
 * `plan`: the desired state, and — when credentials are at hand — what a deploy would change.
 * Nothing is written to AgentRun.
 */
async function plan(spec: ResolvedSpec, settings: Settings, host: Host): Promise<void> {
  const desired = planFor(spec, settings, host.logger);
  const targets = deployTargets(desired, spec, host.logger);
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
    diffs.push(
      await withPackage(target, spec.dir, settings.maxInlineBytes, host.logger, (pkg) =>
        diffTarget(clientFor(target.region), target, pkg),
      ),
    );
  }
  host.print(renderDiff(diffs));
}

async function deploy(spec: ResolvedSpec, settings: Settings, host: Host): Promise<void> {
  const { logger } = host;
  if (!settings.skipActions) checkHooks(spec);
  const targets = deployTargets(planFor(spec, settings, logger), spec, logger);
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
 * request bodies — before any network call, so a bad s.yaml never gets as far as STS or AgentRun.
 */
function planFor(spec: ResolvedSpec, settings: Settings, logger: Logger): Plan {
  const accountId = knownAccountId(settings.credentials, spec.env);
  const known = spec.resources.map((resource) => resource.name);
  const unknown = settings.resources.filter((name) => !known.includes(name));
  const selected = spec.resources.filter(
    (resource) =>
      settings.resources.length === 0 ||
      settings.resources.includes(resource.name) ||
      !isAgentrunComponent(resource.component),
  );
  try {
    if (unknown.length) {
      throw new ConfigError(
        unknown.map((name) => ({
          severity: 'error',
          path: ['resources'],
          message: `no resource named "${name}" (the file has: ${known.join(', ')})`,
          position: spec.locate(['resources']),
        })),
      );
    }
    const plan = buildPlan({ ...spec, resources: selected }, { accountId });
    reportProblems(plan.warnings, logger);
    return plan;
  } catch (error) {
    if (error instanceof ConfigError) reportProblems(error.problems, logger);
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
      client = new AgentRunClient({ endpoint, credentials, onRetry: (message) => logger.warning(message) });
      clients.set(endpoint, client);
    }
    return client;
  };
}

/**
 * The plan as deploy targets. Settings that need other cloud APIs are refused here, for every
 * resource before any is deployed, so a run never stops half-way because of them.
 */
function deployTargets(plan: Plan, spec: ResolvedSpec, logger: Logger): DeployTarget[] {
  const problems = plan.resources.flatMap((resource) => unsupportedSettings(resource, spec));
  if (problems.length) {
    reportProblems(problems, logger);
    throw new ConfigError(problems);
  }
  return plan.resources.map((resource) => ({
    resource: resource.resource,
    region: resource.region,
    runtime: resource.workspace?.id
      ? { ...resource.runtime, workspaceId: resource.workspace.id }
      : resource.runtime,
    endpoints: resource.endpoints,
    codeSrc: resource.code && 'src' in resource.code ? resource.code.src : undefined,
    actions: resolvedResource(spec, resource.resource).actions,
    stage: resolvedResource(spec, resource.resource).stage,
  }));
}

function resolvedResource(spec: ResolvedSpec, name: string): ResolvedResource {
  return spec.resources.find((resource) => resource.name === name)!;
}

function unsupportedSettings(resource: ResourcePlan, spec: ResolvedSpec): Problem[] {
  const props = ['resources', resource.resource, 'props'];
  const problem = (path: KeyPath, message: string): Problem => ({
    severity: 'error',
    path: [...props, ...path],
    message,
    position: spec.locate([...props, ...path]),
  });
  const problems = runtimeReferences(resolvedResource(spec, resource.resource).props).map(({ path, text }) =>
    problem(
      path,
      `${text} is the output of another resource's deploy, which this action does not pass between resources; use a fixed value or \`\${vars.…}\``,
    ),
  );
  if (resource.autoLog) {
    problems.push(
      problem(
        ['agent', 'logConfig'],
        '`logConfig: auto` needs the SLS API, which this action does not call: create the project and logstore once and name them (`logConfig: {project, logstore}`)',
      ),
    );
  }
  if (resource.workspace && !resource.workspace.id) {
    problems.push(
      problem(
        ['agent', 'workspace'],
        'a workspace given by name only cannot be resolved here: give its `id`',
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

/** Logs each problem at its file:line:col (an annotation in Actions). */
export function reportProblems(problems: readonly Problem[], logger: Logger): void {
  for (const problem of problems) {
    const message = formatProblem({ ...problem, position: undefined });
    if (problem.severity === 'error') logger.error(message, problem.position);
    else logger.warning(message, problem.position);
  }
}
