import type { AgentRunApi, Runtime, Version, WorkspaceRef } from '../agentrun/api.js';
import { changedFields } from '../agentrun/compare.js';
import { AgentRunError } from '../agentrun/errors.js';
import type { CreateAgentRuntimeInput } from '../agentrun/model.js';
import { SERVICE } from '../agentrun/service.js';
import { WaitError, waitForRuntime, type WaitOptions } from '../agentrun/wait.js';
import type { TargetCode } from './code.js';
import { fingerprintOf, marker, recorded, type Fingerprint } from './fingerprint.js';
import { MAX_RACES, retryingRaces } from './races.js';

export type RuntimeAction = 'created' | 'updated' | 'unchanged';

export interface RuntimeResult {
  runtime: Runtime;
  action: RuntimeAction;
  /** Why it was updated: the fields that differed, or the state it was in. Empty otherwise. */
  reasons: string[];
  /** Bytes of code sent with the request: 0 when nothing was uploaded. */
  uploadedBytes: number;
  /** The newest published version before this deploy, if any. */
  newestVersion?: Version;
  /** Settings the s.yaml no longer has that the runtime keeps (see SERVICE.keptWhenRemoved). */
  kept: string[];
}

/** A runtime body ready to send, with the fingerprint of what it asks for. */
export interface DesiredRuntime {
  body: CreateAgentRuntimeInput;
  fingerprint: Fingerprint;
  /** Where the runtime lives: the account's default workspace when undefined. */
  workspace?: WorkspaceRef;
  /** The account's ARMS licence key, for an `armsConfiguration` that has none (asked only when sent). */
  armsLicenseKey?: () => Promise<string>;
}

/** The desired body, and the fingerprint of it and the code that goes with it. */
export function desiredRuntime(
  input: CreateAgentRuntimeInput,
  code: Pick<TargetCode, 'id'>,
  workspace?: WorkspaceRef,
): DesiredRuntime {
  return { body: input, fingerprint: fingerprintOf(input, code.id), ...(workspace && { workspace }) };
}

/**
 * Why the deployed runtime does not match the desired one, in the words the log, the summary and
 * `plan` share: the differing fields a GET shows, `code` when the package differs from the one last
 * published, and `settings changed since version N` for what a GET cannot show (a setting removed from
 * the file, ARMS). `newest` is the newest published version, when versions are tracked; without one,
 * code and unreturned settings cannot be proven unchanged, so they count as changed.
 */
export function runtimeChanges(
  desired: DesiredRuntime,
  current: Runtime,
  newest: Version | undefined,
): string[] {
  const fields = changedFields(desired.body, current);
  const last = recorded(newest);
  const code = desired.fingerprint.code !== undefined && last?.code !== desired.fingerprint.code;
  const settings = fields.length === 0 && last?.config !== desired.fingerprint.config;
  const since = newest ? ` since version ${newest.agentRuntimeVersion}` : '';
  return [
    ...fields,
    ...(code ? ['code'] : []),
    ...(settings ? [`settings changed${since}`] : []),
    ...(current.status === 'READY' ? [] : [`was ${current.status}`]),
  ];
}

/**
 * Creates the runtime or brings it to the desired configuration, then waits until it is READY. It is
 * left untouched — and no code uploaded — when it is READY and {@link runtimeChanges} finds nothing. A
 * runtime still busy from an interrupted run is waited for first, and one that a concurrent job created
 * in the meantime is adopted, so re-runs converge.
 */
export async function ensureRuntime(
  client: AgentRunApi,
  desired: DesiredRuntime,
  code: TargetCode,
  wait: WaitOptions,
  trackVersions: boolean,
): Promise<RuntimeResult> {
  // A concurrent job created the runtime, or started an operation on it, between our read and our
  // write: read it again (waiting for that operation) and decide anew — that job may have deployed
  // exactly this.
  return retryingRaces(['Conflict', 'Busy'], () => applyRuntime(client, desired, code, wait, trackVersions));
}

async function applyRuntime(
  client: AgentRunApi,
  desired: DesiredRuntime,
  code: TargetCode,
  wait: WaitOptions,
  trackVersions: boolean,
): Promise<RuntimeResult> {
  const current = await settledRuntime(client, desired, wait);
  if (!current) {
    const { body, bytes } = await sendable(client, desired, code);
    const created = await client.createRuntime(body);
    const runtime = await waitForRuntime(client, created.agentRuntimeId, wait);
    return { runtime, action: 'created', reasons: [], uploadedBytes: bytes, kept: [] };
  }
  const newestVersion = trackVersions ? newest(await client.listVersions(current.agentRuntimeId)) : undefined;
  const reasons = runtimeChanges(desired, current, newestVersion);
  const kept = keptSettings(desired.body, current);
  if (reasons.length === 0) {
    return { runtime: current, action: 'unchanged', reasons, uploadedBytes: 0, newestVersion, kept };
  }
  const { body, bytes } = await sendable(client, desired, code);
  await client.updateRuntime(current.agentRuntimeId, body);
  const runtime = await waitForRuntime(client, current.agentRuntimeId, wait);
  return { runtime, action: 'updated', reasons, uploadedBytes: bytes, newestVersion, kept };
}

/** Settings the runtime has that the desired body no longer sets, and an update would not clear. */
function keptSettings(desired: CreateAgentRuntimeInput, current: Runtime): string[] {
  const fields: readonly (keyof CreateAgentRuntimeInput & keyof Runtime)[] = SERVICE.keptWhenRemoved;
  return fields.filter((field) => desired[field] === undefined && current[field] !== undefined);
}

/** The desired runtime as deployed, once no operation is running on it; undefined when there is none. */
async function settledRuntime(
  client: AgentRunApi,
  desired: DesiredRuntime,
  wait: WaitOptions,
): Promise<Runtime | undefined> {
  const found = await client.findRuntime(desired.body.agentRuntimeName, desired.workspace);
  const busy: readonly string[] = SERVICE.busyStatuses;
  if (!found || !busy.includes(found.status)) return found;
  const { agentRuntimeId } = found;
  return waitForRuntime(client, agentRuntimeId, wait).catch((error: unknown) => {
    // An operation that ended *_FAILED is repaired by the update that follows. One still running after
    // `wait-timeout` is not: updating it would only earn a 409 that hides the timeout message.
    if (error instanceof WaitError && !error.timedOut) return client.getRuntime(agentRuntimeId);
    // A runtime that was being deleted is gone now: it is created anew.
    if (error instanceof AgentRunError && error.kind === 'NotFound') return undefined;
    throw error;
  });
}

/**
 * The body to send: in the workspace the s.yaml names, created if it has to be (SERVICE.workspaces: no
 * `workspaceId` when it names none), with the account's ARMS licence key when `armsConfiguration` has
 * none (as devsapp/agentrun `normalizeArmsLicenseKey` fills it on every create and update), and with the
 * code.
 */
async function sendable(
  client: AgentRunApi,
  desired: DesiredRuntime,
  code: TargetCode,
): Promise<{ body: CreateAgentRuntimeInput; bytes: number }> {
  const workspace = desired.workspace && (await client.resolveWorkspace(desired.workspace, true));
  const arms = desired.body.armsConfiguration;
  const fetchKey = arms && Object.keys(arms).length > 0 && !arms.armsLicenseKey && desired.armsLicenseKey;
  const body = {
    ...desired.body,
    ...(workspace && { workspaceId: workspace.workspaceId }),
    ...(fetchKey && { armsConfiguration: { ...arms, armsLicenseKey: await fetchKey() } }),
  };
  return withCode(body, code);
}

/**
 * The full body with the code's OSS object (src/upload/index.ts) and its checksum, packaging and
 * uploading the code now. Updates always carry the code too, as `s deploy` sends it on every update.
 */
async function withCode(
  input: CreateAgentRuntimeInput,
  code: TargetCode,
): Promise<{ body: CreateAgentRuntimeInput; bytes: number }> {
  const uploaded = input.codeConfiguration && (await code.upload());
  if (!uploaded || !input.codeConfiguration) return { body: input, bytes: 0 };
  const { ossBucketName, ossObjectName, checksum, bytes } = uploaded;
  const codeConfiguration = { ...input.codeConfiguration, ossBucketName, ossObjectName, checksum };
  return { body: { ...input, codeConfiguration }, bytes };
}

/** The highest published version number; LATEST (the draft), which a listing may show, is not one. */
export function newest(versions: readonly Version[]): Version | undefined {
  const numbered = versions.filter((v) => /^\d+$/.test(v.agentRuntimeVersion));
  return numbered.reduce<Version | undefined>(
    (best, v) => (!best || Number(v.agentRuntimeVersion) > Number(best.agentRuntimeVersion) ? v : best),
    undefined,
  );
}

/**
 * {@link ensureRuntime}, then {@link publishIfNew} unless `description` is undefined (no publishing). A
 * publish refused because another job started changing the runtime meanwhile (Busy) is decided again
 * from the start once that change is done: the runtime brought back to the file if it has to be, the
 * versions read again, so the configuration is published once, whichever job publishes it.
 */
export async function ensurePublished(
  client: AgentRunApi,
  desired: DesiredRuntime,
  code: TargetCode,
  wait: WaitOptions,
  description: string | undefined,
): Promise<{ runtime: RuntimeResult; outcome?: { version: Version; published: boolean } }> {
  const publish = description !== undefined;
  let first: RuntimeResult | undefined;
  for (let race = 1; ; race++) {
    const applied = await ensureRuntime(client, desired, code, wait, publish);
    // What this run did to the runtime is reported, also when a later round found nothing left to do.
    const runtime =
      first && first.action !== 'unchanged' && applied.action === 'unchanged'
        ? { ...applied, action: first.action, reasons: first.reasons, uploadedBytes: first.uploadedBytes }
        : applied;
    first ??= applied;
    if (!publish) return { runtime };
    try {
      return { runtime, outcome: await publishIfNew(client, runtime, desired, description) };
    } catch (error) {
      const busy = error instanceof AgentRunError && error.kind === 'Busy';
      if (!busy || race >= MAX_RACES) throw error;
    }
  }
}

/**
 * The version that holds the desired configuration: the newest one when it already does, else a new
 * one. The versions are read again first: a concurrent job deploying the same configuration may have
 * published it meanwhile, and an identical configuration is never published twice.
 */
export async function publishIfNew(
  client: AgentRunApi,
  runtime: RuntimeResult,
  desired: DesiredRuntime,
  description: string,
): Promise<{ version: Version; published: boolean }> {
  const latest =
    runtime.action === 'unchanged'
      ? runtime.newestVersion
      : newest(await client.listVersions(runtime.runtime.agentRuntimeId));
  const last = recorded(latest);
  if (latest && last?.config === desired.fingerprint.config && last.code === desired.fingerprint.code) {
    return { version: latest, published: false };
  }
  const version = await client.publishVersion(
    runtime.runtime.agentRuntimeId,
    `${description} ${marker(desired.fingerprint)}`,
  );
  return { version, published: true };
}
