import { createHash } from 'node:crypto';
import type { AgentRunClient } from '../agentrun/client.js';
import { AgentRunError } from '../agentrun/errors.js';
import type { AgentRuntime, AgentRuntimeInput, AgentRuntimeVersion } from '../agentrun/types.js';
import { WaitError, waitForRuntime, type WaitOptions } from '../agentrun/wait.js';
import type { CodePackage } from '../package/index.js';
import { readZipBase64 } from '../package/index.js';
import { changedFields } from './compare.js';

export type RuntimeAction = 'created' | 'updated' | 'unchanged';

export interface RuntimeResult {
  runtime: AgentRuntime;
  action: RuntimeAction;
  /** Fields that differed from what was deployed (empty when created or unchanged). */
  changes: string[];
  /** Bytes of code sent with the request: 0 when nothing was uploaded. */
  uploadedBytes: number;
}

const BUSY = new Set(['CREATING', 'UPDATING', 'DELETING']);

/** The desired body with the package's checksum: what the deployed runtime is compared against. */
export function withChecksum(input: AgentRuntimeInput, pkg: CodePackage | undefined): AgentRuntimeInput {
  if (!pkg || !input.codeConfiguration) return input;
  return { ...input, codeConfiguration: { ...input.codeConfiguration, checksum: pkg.checksum } };
}

/**
 * Creates the runtime or brings it to the desired configuration, then waits until it is READY. A
 * runtime that already matches (configuration and code checksum) and is READY is left untouched and
 * no code is uploaded. One still busy from an interrupted run is waited for first, so a re-run converges.
 */
export async function ensureRuntime(
  client: AgentRunClient,
  desired: AgentRuntimeInput,
  pkg: CodePackage | undefined,
  wait: WaitOptions,
): Promise<RuntimeResult> {
  let current = await client.findRuntime(desired.agentRuntimeName);
  if (current && BUSY.has(current.status)) {
    const { agentRuntimeId } = current;
    current = await waitForRuntime(client, agentRuntimeId, wait).catch((error: unknown) => {
      // An operation that ended *_FAILED is repaired by the update below. One still running after
      // `timeout` is not: updating it would only earn a 409 that hides the timeout message.
      if (error instanceof WaitError && !BUSY.has(error.status)) return client.getRuntime(agentRuntimeId);
      // A runtime that was being deleted is gone now: create it anew.
      if (error instanceof AgentRunError && error.kind === 'NotFound') return undefined;
      throw error;
    });
  }
  const changes = current ? changedFields(desired, current) : [];
  if (current && changes.length === 0 && current.status === 'READY') {
    return { runtime: current, action: 'unchanged', changes, uploadedBytes: 0 };
  }
  const body = await withCode(desired, pkg);
  const started = current
    ? await client.updateRuntime(current.agentRuntimeId, body)
    : await client.createRuntime(body);
  const runtime = await waitForRuntime(client, started.agentRuntimeId, wait);
  return { runtime, action: current ? 'updated' : 'created', changes, uploadedBytes: pkg?.bytes ?? 0 };
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

/** A short digest of the desired configuration and code, recorded in each published version. */
export function fingerprint(desired: AgentRuntimeInput): string {
  return createHash('sha256').update(stableJson(desired)).digest('hex').slice(0, 16);
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
 * Publishes a version unless the newest one already holds this fingerprint — which also makes a run
 * that was interrupted between the update and the publish publish on its re-run.
 */
export async function publishIfNew(
  client: AgentRunClient,
  runtimeId: string,
  print: string,
  description: string,
): Promise<{ version: AgentRuntimeVersion; published: boolean }> {
  const versions = await client.listVersions(runtimeId);
  const newest = versions.reduce<AgentRuntimeVersion | undefined>(
    (best, v) => (!best || Number(v.agentRuntimeVersion) > Number(best.agentRuntimeVersion) ? v : best),
    undefined,
  );
  const marker = `[${print}]`;
  if (newest?.description?.includes(marker)) return { version: newest, published: false };
  const version = await client.publishVersion(runtimeId, `${description} ${marker}`);
  return { version, published: true };
}
