import type { AgentRunApi } from '../agentrun/api.js';
import { regionEndpoint } from '../agentrun/client.js';
import { armsEndpoint, traceLicenseKey } from '../arms/licence.js';
import { parseEndpoint } from '../endpoint.js';
import { codeUploader, type CodeUploader } from '../upload/index.js';
import type { ResolvedSpec } from '../config/index.js';
import type { CodeOptions } from '../deploy/code.js';
import { knownAccountId, resolveCredentials, type Credentials } from '../credentials/index.js';
import { planTargets, type PlannedTargets } from '../plan/targets.js';
import type { Settings } from '../settings.js';
import type { Deps, Host } from './host.js';
import { reportingConfigErrors, reportProblems } from './spec.js';

/** What every command runs with: its settings, the resolved s.yaml, and the outside world. */
export interface CommandContext {
  settings: Settings;
  spec: ResolvedSpec;
  host: Host;
  deps: Deps;
}

/**
 * Validates the selected agentrun resources (every problem of the file at once) and builds their
 * request bodies and deploy targets — before any network call, so a bad s.yaml never gets as far as
 * STS or AgentRun.
 */
export async function plannedTargets({ spec, settings, host }: CommandContext): Promise<PlannedTargets> {
  const accountId = knownAccountId(settings.credentials, spec.env);
  const planned = await reportingConfigErrors(host.logger, () =>
    planTargets(spec, settings.resources, accountId),
  );
  reportProblems(planned.plan.warnings, host.logger);
  return planned;
}

export function credentialsFor({ spec, settings, host }: CommandContext): Promise<Credentials> {
  // Saved keys (the CLI's ~/.s/access.yaml) rank below every variable of the real environment.
  return resolveCredentials(
    settings.credentials,
    { ...host.savedKeys, ...host.env },
    {
      getIDToken: host.getIDToken,
      setSecret: (value: string) => host.logger.setSecret(value),
      alias: settings.access ?? spec.access,
    },
  );
}

/** One API client per control-plane endpoint: `api-endpoint`, or each region's own. */
export function apiFor(
  { settings, host, deps }: CommandContext,
  credentials: Credentials,
): (region: string) => AgentRunApi {
  const clients = new Map<string, AgentRunApi>();
  return (region) => {
    const endpoint = settings.apiEndpoint ?? regionEndpoint(region);
    let client = clients.get(endpoint);
    if (!client) {
      client = deps.agentRun({
        endpoint,
        credentials,
        requestTimeoutMs: settings.requestTimeoutMs,
        clock: deps.clock,
        onRetry: (message) => host.logger.warning(message),
      });
      clients.set(endpoint, client);
    }
    return client;
  };
}

/**
 * Uploads code to Function Compute's temporary bucket, which is named after the account: the account
 * id comes from the credentials, or else from the ARN of the account's default workspace
 * (`acs:agentrun:<region>:<account-id>:workspaces/<id>`, the form docs/permissions.md cites).
 */
export function uploaderFor(
  { settings, deps }: CommandContext,
  credentials: Credentials,
  api: (region: string) => AgentRunApi,
): CodeUploader {
  const endpoint = settings.apiEndpoint && parseEndpoint(settings.apiEndpoint);
  return codeUploader({
    credentials,
    accountId: async (region) => {
      if (credentials.accountId) return credentials.accountId;
      const arn = (await api(region).resolveWorkspace(undefined, false))?.workspaceArn;
      const found = /^acs:agentrun:[^:]*:(\d+):/.exec(arn ?? '')?.[1];
      if (found) return found;
      throw new Error(
        'Uploading code needs the account id (Function Compute names the upload bucket after it): set the AccountID variable, or use role-to-assume (its ARN names the account).',
      );
    },
    ...(endpoint && { endpoint: `${endpoint.protocol}://${endpoint.host}` }),
    requestTimeoutMs: settings.requestTimeoutMs,
    deps: { clock: deps.clock, random: Math.random },
  });
}

/**
 * The account's ARMS licence key per region (devsapp/agentrun `src/impl/arms.ts`), asked once per
 * region and masked in the log.
 */
export function armsLicenseKeyFor(
  { settings, host }: CommandContext,
  credentials: Credentials,
): (region: string) => Promise<string> {
  const keys = new Map<string, Promise<string>>();
  return (region) => {
    let key = keys.get(region);
    if (!key) {
      key = traceLicenseKey({
        endpoint: settings.apiEndpoint ?? armsEndpoint(region),
        region,
        credentials,
        timeoutMs: settings.requestTimeoutMs,
      }).then((found) => {
        host.logger.setSecret(found);
        return found;
      });
      keys.set(region, key);
      key.catch(() => keys.delete(region));
    }
    return key;
  };
}

/** Where a command finds each target's code and how it may package it. */
export function codeOptions({ spec, settings, host }: CommandContext): CodeOptions {
  return {
    baseDir: spec.dir,
    workspace: host.workspace,
    allowOutsideWorkspace: settings.allowCodeOutsideWorkspace,
    tempDir: host.tempDir,
    logger: host.logger,
  };
}
