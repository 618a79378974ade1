import { AgentRunClient, regionEndpoint } from './agentrun/client.js';
import { resolveSpec, type ResolvedSpec } from './config/index.js';
import { ConfigError, formatProblem, type Problem } from './config/types.js';
import { resolveCredentials, type Credentials } from './credentials/index.js';
import { deployAll, type DeployTarget } from './deploy/index.js';
import { unsupportedHooks } from './deploy/hooks.js';
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

/** Raised after the problems it stands for were already reported one by one. */
export class ReportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportedError';
  }
}

/** Runs `settings.command`. Throws on failure; every problem has been logged by then. */
export async function run(settings: Settings, host: Host): Promise<void> {
  const spec = await loadSpec(settings, host);
  if (settings.command === 'plan') {
    const plan = planFor(spec, settings, host.logger);
    host.print(renderPlan(plan));
    host.setOutput(Outputs.Plan, planToJson(plan));
    return;
  }
  await deploy(spec, settings, host);
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
 * Validates the selected agentrun resources (every problem of the file at once) and builds their
 * request bodies. The account id, when known, expands bare role names.
 */
function planFor(spec: ResolvedSpec, settings: Settings, logger: Logger, accountId?: string): Plan {
  const known = spec.resources.map((resource) => resource.name);
  const unknown = settings.resources.filter((name) => !known.includes(name));
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
  const selected = spec.resources.filter(
    (resource) =>
      settings.resources.length === 0 ||
      settings.resources.includes(resource.name) ||
      !isAgentrunComponent(resource.component),
  );
  try {
    const plan = buildPlan({ ...spec, resources: selected }, { accountId });
    reportProblems(plan.warnings, logger);
    return plan;
  } catch (error) {
    if (error instanceof ConfigError) reportProblems(error.problems, logger);
    throw error;
  }
}

async function deploy(spec: ResolvedSpec, settings: Settings, host: Host): Promise<void> {
  const { logger } = host;
  const hookProblems = unsupportedHooks({
    ...spec.actions,
    ...Object.assign({}, ...spec.resources.map((r) => r.actions)),
  });
  if (!settings.skipActions && hookProblems.length) {
    throw new ReportedError(
      `These s.yaml actions need Serverless Devs and cannot run here: ${hookProblems.join('; ')}. ` +
        'Replace them with `run:` commands, or set skip-actions: true.',
    );
  }
  const credentials = await resolveCredentials(settings.credentials, host.env, {
    getIDToken: host.getIDToken,
    setSecret: (value: string) => logger.setSecret(value),
    alias: spec.access,
  });
  logger.info(`Credentials: ${credentials.source}`);
  const plan = planFor(spec, settings, logger, credentials.accountId);
  const clients = new Map<string, AgentRunClient>();
  const clientFor = (region: string) => {
    const endpoint = settings.apiEndpoint ?? regionEndpoint(region);
    if (!clients.has(endpoint)) clients.set(endpoint, newClient(endpoint, credentials, logger));
    return clients.get(endpoint)!;
  };
  const results = await deployAll(
    plan.resources.map((resource) => targetOf(resource, spec)),
    {
      baseDir: spec.dir,
      globalActions: spec.actions,
      runHooks: !settings.skipActions,
      publish: settings.publish,
      parallel: settings.parallel,
      timeoutMs: settings.timeoutMs,
      maxInlineBytes: settings.maxInlineBytes,
      trigger: host.trigger,
      env: { ...process.env },
      logger,
      clientFor,
    },
  );
  for (const [name, value] of Object.entries(deployOutputs(results))) host.setOutput(name, value);
  await host.writeSummary?.(summaryMarkdown(results));
}

function newClient(endpoint: string, credentials: Credentials, logger: Logger): AgentRunClient {
  return new AgentRunClient({ endpoint, credentials, onRetry: (message) => logger.warning(message) });
}

function targetOf(plan: ResourcePlan, spec: ResolvedSpec): DeployTarget {
  return {
    resource: plan.resource,
    region: plan.region,
    runtime: plan.runtime,
    endpoints: plan.endpoints,
    codeSrc: plan.code && 'src' in plan.code ? plan.code.src : undefined,
    actions: spec.resources.find((r) => r.name === plan.resource)?.actions ?? {},
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
