import { createHash } from 'node:crypto';
import type { AgentRunApi } from '../agentrun/api.js';
import { changedFields } from '../agentrun/compare.js';
import { AgentRunError } from '../agentrun/errors.js';
import type { AgentRuntime, AgentRuntimeInput, AgentRuntimeVersion } from '../agentrun/types.js';
import { WaitError, waitForRuntime, type WaitOptions } from '../agentrun/wait.js';
import type { CodePackage } from '../package/index.js';
import { readZipBase64 } from '../package/index.js';

export type RuntimeAction = 'created' | 'updated' | 'unchanged';

export interface RuntimeResult {
  runtime: AgentRuntime;
  action: RuntimeAction;
  /** Why it was updated: the fields that differed, or the state it was in. Empty otherwise. */
  reasons: string[];
  /** Bytes of code sent with the request: 0 when nothing was uploaded. */
  uploadedBytes: number;
  /** The newest published version before this deploy, if any. */
  newestVersion?: AgentRuntimeVersion;
}

const BUSY = new Set(['CREATING', 'UPDATING', 'DELETING']);

/** The desired body with the package's checksum: what the deployed runtime is compared against. */
export function withChecksum(input: AgentRuntimeInput, pkg: CodePackage | undefined): AgentRuntimeInput {
  if (!pkg || !input.codeConfiguration) return input;
  return { ...input, codeConfiguration: { ...input.codeConfiguration, checksum: pkg.checksum } };
}

/** A short digest of the desired configuration and code, recorded in each version this action publishes. */
export function fingerprint(desired: AgentRuntimeInput): string {
  return createHash('sha256').update(stableJson(desired)).digest('hex').slice(0, 16);
}

/** Whether `version` was published by this action from exactly the configuration with `print`. */
export function holds(version: AgentRuntimeVersion | undefined, print: string): boolean {
  return version?.description?.includes(`[${print}]`) ?? false;
}

/**
 * Creates the runtime or brings it to the desired configuration, then waits until it is READY. It is
 * left untouched — and no code uploaded — when it is READY, matches every field sent, and (with
 * `trackVersions`) its newest version was published from this very configuration: comparing with
 * that fingerprint is what notices a setting removed from the s.yaml, which a field-by-field
 * comparison cannot see. A runtime still busy from an interrupted run is waited for first, and one
 * that a concurrent job created in the meantime is adopted, so re-runs converge.
 */
export async function ensureRuntime(
  client: AgentRunApi,
  desired: AgentRuntimeInput,
  pkg: CodePackage | undefined,
  wait: WaitOptions,
  trackVersions: boolean,
): Promise<RuntimeResult> {
  const current = await settledRuntime(client, desired.agentRuntimeName, wait);
  if (!current) {
    try {
      const created = await client.createRuntime(await withCode(desired, pkg));
      const runtime = await waitForRuntime(client, created.agentRuntimeId, wait);
      return { runtime, action: 'created', reasons: [], uploadedBytes: pkg?.bytes ?? 0 };
    } catch (error) {
      // Another job created it between our lookup and our create: carry on as an update.
      if (!(error instanceof AgentRunError && error.kind === 'Conflict')) throw error;
      return ensureRuntime(client, desired, pkg, wait, trackVersions);
    }
  }
  const versions = trackVersions ? await client.listVersions(current.agentRuntimeId) : [];
  const newestVersion = newest(versions);
  const changes = changedFields(desired, current);
  const drifted = newestVersion !== undefined && !holds(newestVersion, fingerprint(desired));
  const reasons = [
    ...changes,
    ...(current.status === 'READY' ? [] : [`was ${current.status}`]),
    // A setting removed from the file leaves no field to compare; the fingerprint still differs.
    ...(drifted && changes.length === 0 ? ['settings changed since the last deploy'] : []),
  ];
  if (reasons.length === 0) {
    return { runtime: current, action: 'unchanged', reasons, uploadedBytes: 0, newestVersion };
  }
  await client.updateRuntime(current.agentRuntimeId, await withCode(desired, pkg));
  const runtime = await waitForRuntime(client, current.agentRuntimeId, wait);
  return { runtime, action: 'updated', reasons, uploadedBytes: pkg?.bytes ?? 0, newestVersion };
}

/** The runtime named so, once no operation is running on it; undefined when there is none. */
async function settledRuntime(
  client: AgentRunApi,
  name: string,
  wait: WaitOptions,
): Promise<AgentRuntime | undefined> {
  const found = await client.findRuntime(name);
  if (!found || !BUSY.has(found.status)) return found;
  const { agentRuntimeId } = found;
  return waitForRuntime(client, agentRuntimeId, wait).catch((error: unknown) => {
    // An operation that ended *_FAILED is repaired by the update that follows. One still running after
    // `timeout` is not: updating it would only earn a 409 that hides the timeout message.
    if (error instanceof WaitError && !error.timedOut) return client.getRuntime(agentRuntimeId);
    // A runtime that was being deleted is gone now: it is created anew.
    if (error instanceof AgentRunError && error.kind === 'NotFound') return undefined;
    throw error;
  });
}

/**
 * The full body with the zip inline. Updates always carry the code too: whether an update without
 * `zipFile` keeps the deployed code is not documented.
 */
async function withCode(input: AgentRuntimeInput, pkg: CodePackage | undefined): Promise<AgentRuntimeInput> {
  if (!pkg || !input.codeConfiguration) return input;
  return {
    ...input,
    codeConfiguration: { ...input.codeConfiguration, zipFile: await readZipBase64(pkg.zipPath) },
  };
}

function newest(versions: readonly AgentRuntimeVersion[]): AgentRuntimeVersion | undefined {
  return versions.reduce<AgentRuntimeVersion | undefined>(
    (best, v) => (!best || Number(v.agentRuntimeVersion) > Number(best.agentRuntimeVersion) ? v : best),
    undefined,
  );
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The version that holds the desired configuration: the newest one when it already does (which is
 * also how a run interrupted between update and publish completes on its re-run), else a new one.
 */
export async function publishIfNew(
  client: AgentRunApi,
  runtime: RuntimeResult,
  print: string,
  description: string,
): Promise<{ version: AgentRuntimeVersion; published: boolean }> {
  if (runtime.action === 'unchanged' && runtime.newestVersion && holds(runtime.newestVersion, print)) {
    return { version: runtime.newestVersion, published: false };
  }
  const version = await client.publishVersion(runtime.runtime.agentRuntimeId, `${description} [${print}]`);
  return { version, published: true };
}
