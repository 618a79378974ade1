/**
 * The 12 AgentRun runtime operations and the workspace operations (workspaces.ts) (agentrun-api.md §2): routing by method + path, validation,
 * conflict rules and the response shapes. Transitions themselves are the Lifecycle's job.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Crc64, crc64 } from '../src/package/crc64.js';
import { alreadyExists, badRequest, conflict, invalid, notFound } from './errors.js';
import type { FaultInjector } from './faults.js';
import { isoSeconds } from './ids.js';
import { codeSource, type Lifecycle } from './lifecycle.js';
import type { ObjectStore } from './oss.js';
import {
  agentRuntime,
  agentRuntimeEndpoint,
  agentRuntimeVersion,
  type CreateAgentRuntimeEndpointInput,
  type UpdateAgentRuntimeInput,
} from '../src/agentrun/model.js';
import { isEchoed, SERVICE } from '../src/agentrun/service.js';
import {
  LATEST,
  Status,
  parseCreateEndpoint,
  parseCreateRuntime,
  parsePublish,
  parseUpdateEndpoint,
  parseUpdateRuntime,
  type RuntimeConfig,
} from './requests.js';
import {
  workspaceOf,
  type EndpointRecord,
  type RuntimeRecord,
  type Store,
  type WorkspaceRecord,
} from './store.js';
import {
  createWorkspace,
  findWorkspace,
  listWorkspaces,
  workspaceForCreate,
  workspaceView,
} from './workspaces.js';
import { checkZip } from './unzip.js';

/** API version of every control-plane operation. */
export const API_VERSION = '2025-09-10';

/** Action names, as sent in `x-acs-action`. */
export const Action = {
  createRuntime: 'CreateAgentRuntime',
  getRuntime: 'GetAgentRuntime',
  updateRuntime: 'UpdateAgentRuntime',
  deleteRuntime: 'DeleteAgentRuntime',
  listRuntimes: 'ListAgentRuntimes',
  publishVersion: 'PublishRuntimeVersion',
  listVersions: 'ListAgentRuntimeVersions',
  createEndpoint: 'CreateAgentRuntimeEndpoint',
  listEndpoints: 'ListAgentRuntimeEndpoints',
  getEndpoint: 'GetAgentRuntimeEndpoint',
  updateEndpoint: 'UpdateAgentRuntimeEndpoint',
  deleteEndpoint: 'DeleteAgentRuntimeEndpoint',
  getWorkspace: 'GetWorkspace',
  listWorkspaces: 'ListWorkspaces',
  createWorkspace: 'CreateWorkspace',
} as const;
export type Action = (typeof Action)[keyof typeof Action];

const RUNTIMES = `/${API_VERSION}/agents/runtimes`;
const WORKSPACES = `/${API_VERSION}/workspaces`;
const ID = '([^/?]+)';
const ROUTES: { action: Action; method: string; pattern: RegExp }[] = [
  { action: Action.createRuntime, method: 'POST', pattern: new RegExp(`^${RUNTIMES}$`) },
  { action: Action.listRuntimes, method: 'GET', pattern: new RegExp(`^${RUNTIMES}$`) },
  { action: Action.getRuntime, method: 'GET', pattern: new RegExp(`^${RUNTIMES}/${ID}$`) },
  { action: Action.updateRuntime, method: 'PUT', pattern: new RegExp(`^${RUNTIMES}/${ID}$`) },
  { action: Action.deleteRuntime, method: 'DELETE', pattern: new RegExp(`^${RUNTIMES}/${ID}$`) },
  { action: Action.publishVersion, method: 'POST', pattern: new RegExp(`^${RUNTIMES}/${ID}/versions$`) },
  { action: Action.listVersions, method: 'GET', pattern: new RegExp(`^${RUNTIMES}/${ID}/versions$`) },
  { action: Action.createEndpoint, method: 'POST', pattern: new RegExp(`^${RUNTIMES}/${ID}/endpoints$`) },
  { action: Action.listEndpoints, method: 'GET', pattern: new RegExp(`^${RUNTIMES}/${ID}/endpoints$`) },
  { action: Action.getEndpoint, method: 'GET', pattern: new RegExp(`^${RUNTIMES}/${ID}/endpoints/${ID}$`) },
  {
    action: Action.updateEndpoint,
    method: 'PUT',
    pattern: new RegExp(`^${RUNTIMES}/${ID}/endpoints/${ID}$`),
  },
  {
    action: Action.deleteEndpoint,
    method: 'DELETE',
    pattern: new RegExp(`^${RUNTIMES}/${ID}/endpoints/${ID}$`),
  },
  { action: Action.getWorkspace, method: 'GET', pattern: new RegExp(`^${WORKSPACES}/${ID}$`) },
  { action: Action.listWorkspaces, method: 'GET', pattern: new RegExp(`^${WORKSPACES}$`) },
  { action: Action.createWorkspace, method: 'POST', pattern: new RegExp(`^${WORKSPACES}$`) },
];

/** Operations that take a JSON body (PublishRuntimeVersion's is optional). */
export const BODY_ACTIONS: ReadonlySet<Action> = new Set([
  Action.createRuntime,
  Action.updateRuntime,
  Action.createEndpoint,
  Action.updateEndpoint,
  Action.createWorkspace,
]);

/** A matched operation with its decoded path ids. */
export interface RoutedCall {
  action: Action;
  ids: string[];
}

/** Finds the operation for `method` + raw `path`, or undefined (the gateway's 404). */
export function matchRoute(method: string, path: string): RoutedCall | undefined {
  for (const route of ROUTES) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (match) return { action: route.action, ids: match.slice(1).map((id) => decodeURIComponent(id)) };
  }
  return undefined;
}

/** What the operations need. */
export interface ControlContext {
  store: Store;
  lifecycle: Lifecycle;
  faults: FaultInjector;
  region: string;
  accountId: string;
  /** OSS objects that code configurations name. */
  objects: ObjectStore;
}

/**
 * Runs one operation and returns its `data`; throws ApiError for 4xx.
 *
 * An update keeps every top-level field it does not send (SERVICE.updateKeepsUnsentFields), for runtimes
 * and endpoints alike; a `codeConfiguration` sent without a package keeps the deployed package.
 */
export async function handleControl(
  ctx: ControlContext,
  call: RoutedCall,
  query: Record<string, string>,
  body: unknown,
): Promise<unknown> {
  const [runtimeId = '', endpointId = ''] = call.ids;
  const forcedFailure = (): string | undefined => {
    const rule = ctx.faults.take(call.action, ['fail-transition']);
    return rule && (rule.message ?? `Injected fault: ${call.action} transition forced to fail`);
  };
  const views = new Views(ctx);
  switch (call.action) {
    case Action.createRuntime: {
      const input = parseCreateRuntime(body);
      const workspaceId = workspaceForCreate(ctx.store, input.workspaceId);
      const config = await withVerifiedCode(ctx.objects, { ...input, workspaceId });
      if (ctx.store.runtimeByName(config.agentRuntimeName, workspaceId)) {
        throw alreadyExists(
          `AgentRuntime ${config.agentRuntimeName} already exists in workspace ${workspaceId}`,
        );
      }
      const now = isoSeconds();
      const runtime: RuntimeRecord = {
        id: randomUUID(),
        config,
        status: Status.creating,
        statusReason: '',
        createdAt: now,
        lastUpdatedAt: now,
        versions: [],
      };
      ctx.store.runtimes.set(runtime.id, runtime);
      ctx.lifecycle.createRuntime(runtime, forcedFailure());
      return views.runtime(runtime);
    }
    case Action.getRuntime: {
      const runtime = findRuntime(ctx, runtimeId);
      const version = query.agentRuntimeVersion;
      if (version === undefined || version === LATEST) return views.runtime(runtime);
      const snapshot = runtime.versions.find((v) => v.version === version);
      if (!snapshot) throw notFound(`Version ${version} of AgentRuntime ${runtimeId} does not exist`);
      return views.runtime(runtime, snapshot.config, version);
    }
    case Action.updateRuntime: {
      const runtime = findRuntime(ctx, runtimeId);
      assertSettled('AgentRuntime', runtime);
      const input = parseUpdateRuntime(body);
      if (
        input.agentRuntimeName !== undefined &&
        input.agentRuntimeName !== runtime.config.agentRuntimeName
      ) {
        throw invalid(`agentRuntimeName cannot be changed (is ${runtime.config.agentRuntimeName})`);
      }
      // UNCONFIRMED: a runtime stays in its workspace; nothing documents moving one.
      if (input.workspaceId !== undefined && input.workspaceId !== workspaceOf(runtime)) {
        throw invalid(`workspaceId cannot be changed (the runtime is in workspace ${workspaceOf(runtime)})`);
      }
      const config = await withVerifiedCode(ctx.objects, parseCreateRuntime(updated(runtime.config, input)));
      // The package check awaits: another call may have started a transition meanwhile.
      assertSettled('AgentRuntime', findRuntime(ctx, runtimeId));
      ctx.lifecycle.updateRuntime(runtime, config, forcedFailure());
      return views.runtime(runtime);
    }
    case Action.deleteRuntime: {
      const runtime = findRuntime(ctx, runtimeId);
      if (runtime.status === Status.deleting) return views.runtime(runtime);
      assertSettled('AgentRuntime', runtime);
      const endpoints = ctx.store.endpointsOf(runtime.id).length;
      if (endpoints > 0) {
        throw conflict(`AgentRuntime ${runtimeId} still has ${endpoints} endpoint(s); delete them first`);
      }
      ctx.lifecycle.deleteRuntime(runtime, forcedFailure());
      return views.runtime(runtime);
    }
    case Action.listRuntimes:
      return page(filterRuntimes([...ctx.store.runtimes.values()], query), query, (r) => views.runtime(r));
    case Action.publishVersion: {
      const runtime = findRuntime(ctx, runtimeId);
      if (runtime.status !== Status.ready) {
        throw conflict(`AgentRuntime ${runtimeId} is ${runtime.status}; publish when it is READY`);
      }
      const input = parsePublish(body);
      const snapshot = {
        version: String(runtime.versions.length + 1),
        description: input.description ?? `Published at ${isoSeconds()}`,
        config: structuredClone(runtime.config),
        createdAt: isoSeconds(),
      };
      runtime.versions.push(snapshot);
      ctx.store.save();
      return views.version(runtime, snapshot);
    }
    case Action.listVersions: {
      const runtime = findRuntime(ctx, runtimeId);
      return page(runtime.versions, query, (v) => views.version(runtime, v));
    }
    case Action.createEndpoint: {
      const runtime = findRuntime(ctx, runtimeId);
      assertRunnable(runtime);
      const input = parseCreateEndpoint(body);
      const name = input.agentRuntimeEndpointName ?? '';
      assertUniqueEndpoint(ctx, runtime, name);
      const now = isoSeconds();
      const endpoint: EndpointRecord = {
        id: randomUUID(),
        runtimeId: runtime.id,
        ...endpointSettings(runtime, { ...input, agentRuntimeEndpointName: name }),
        status: Status.creating,
        statusReason: '',
        endpointPublicUrl: '',
        createdAt: now,
        lastUpdatedAt: now,
      };
      ctx.store.endpoints.set(endpoint.id, endpoint);
      ctx.lifecycle.createEndpoint(endpoint, forcedFailure());
      return views.endpoint(endpoint);
    }
    case Action.listEndpoints: {
      const runtime = findRuntime(ctx, runtimeId);
      const named = nameFilter(query.endpointName, query.searchMode);
      const endpoints = ctx.store.endpointsOf(runtime.id).filter((e) => named(e.name));
      return page(endpoints, query, (e) => views.endpoint(e));
    }
    case Action.getEndpoint:
      return views.endpoint(findEndpoint(ctx, runtimeId, endpointId));
    case Action.updateEndpoint: {
      const endpoint = findEndpoint(ctx, runtimeId, endpointId);
      const runtime = findRuntime(ctx, runtimeId);
      assertSettled('AgentRuntimeEndpoint', endpoint);
      assertRunnable(runtime);
      const { deleteScalingConfig, ...input } = parseUpdateEndpoint(body);
      const name = input.agentRuntimeEndpointName ?? endpoint.name;
      if (name !== endpoint.name) assertUniqueEndpoint(ctx, runtime, name);
      const kept = {
        agentRuntimeEndpointName: name,
        description: endpoint.description,
        targetVersion: endpoint.targetVersion,
        routingConfiguration: endpoint.routingConfiguration,
        disablePublicNetworkAccess: endpoint.disablePublicNetworkAccess,
        scalingConfig: deleteScalingConfig ? undefined : endpoint.scalingConfig,
      };
      Object.assign(endpoint, endpointSettings(runtime, { ...kept, ...defined(input) }));
      ctx.lifecycle.updateEndpoint(endpoint, forcedFailure());
      return views.endpoint(endpoint);
    }
    case Action.deleteEndpoint: {
      const endpoint = findEndpoint(ctx, runtimeId, endpointId);
      if (endpoint.status === Status.deleting) return views.endpoint(endpoint);
      assertSettled('AgentRuntimeEndpoint', endpoint);
      ctx.lifecycle.deleteEndpoint(endpoint, forcedFailure());
      return views.endpoint(endpoint);
    }
    case Action.getWorkspace:
      return views.workspace(findWorkspace(ctx.store, call.ids[0] ?? ''));
    case Action.listWorkspaces: {
      const { items, ...rest } = page(listWorkspaces(ctx.store, query), query, (w) => views.workspace(w));
      return { workspaces: items, ...rest };
    }
    case Action.createWorkspace:
      return views.workspace(createWorkspace(ctx.store, body));
  }
}

/**
 * Answers, shaped by the response models (src/agentrun/model.ts): only their fields, empty values left
 * out, and nothing a GET is not known to return (SERVICE.notEchoed).
 */
class Views {
  constructor(private readonly ctx: ControlContext) {}

  runtime(runtime: RuntimeRecord, config: RuntimeConfig = runtime.config, version: string = LATEST): object {
    const echoed = Object.fromEntries(
      Object.entries(config).filter(([field]) => field in agentRuntime.shape && isEchoed(field)),
    );
    const code = config.codeConfiguration;
    return answer(agentRuntime, {
      ...echoed,
      codeConfiguration: code && {
        ...code,
        zipFile: undefined,
        checksum: isEchoed('codeConfiguration.checksum') ? code.checksum : undefined,
      },
      agentRuntimeId: runtime.id,
      agentRuntimeArn: `acs:agentrun:${this.ctx.region}:${this.ctx.accountId}:runtimes/${runtime.id}`,
      agentRuntimeVersion: version,
      status: runtime.status,
      statusReason: runtime.statusReason,
      createdAt: runtime.createdAt,
      lastUpdatedAt: runtime.lastUpdatedAt,
    });
  }

  version(runtime: RuntimeRecord, snapshot: RuntimeRecord['versions'][number]): object {
    return answer(agentRuntimeVersion, {
      agentRuntimeArn: `acs:agentrun:${this.ctx.region}:${this.ctx.accountId}:runtimes/${runtime.id}`,
      agentRuntimeId: runtime.id,
      agentRuntimeName: runtime.config.agentRuntimeName,
      agentRuntimeVersion: snapshot.version,
      description: snapshot.description,
      lastUpdatedAt: snapshot.createdAt,
    });
  }

  workspace(record: WorkspaceRecord): object {
    return workspaceView(record, this.ctx.region, this.ctx.accountId);
  }

  endpoint(endpoint: EndpointRecord): object {
    return answer(agentRuntimeEndpoint, {
      agentRuntimeEndpointId: endpoint.id,
      agentRuntimeEndpointArn: `acs:agentrun:${this.ctx.region}:${this.ctx.accountId}:runtime-endpoints/${endpoint.id}`,
      agentRuntimeEndpointName: endpoint.name,
      agentRuntimeId: endpoint.runtimeId,
      description: endpoint.description,
      targetVersion: endpoint.targetVersion,
      routingConfiguration: endpoint.routingConfiguration,
      disablePublicNetworkAccess: endpoint.disablePublicNetworkAccess,
      scalingStatus: endpoint.scalingConfig && { minInstances: endpoint.scalingConfig.minInstances },
      endpointPublicUrl: endpoint.endpointPublicUrl,
      status: endpoint.status,
      statusReason: endpoint.statusReason,
    });
  }
}

/** `data` without empty values, checked against its response model so no answer strays from it. */
function answer(model: { parse(value: unknown): unknown }, data: Record<string, unknown>): object {
  return model.parse(withoutEmpty(data)) as object;
}

function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).flatMap(([key, item]) => {
    const kept = withoutEmpty(item);
    const empty =
      kept === undefined ||
      kept === '' ||
      (Array.isArray(kept) && kept.length === 0) ||
      (typeof kept === 'object' && kept !== null && !Array.isArray(kept) && Object.keys(kept).length === 0);
    return empty ? [] : [[key, kept]];
  });
  return Object.fromEntries(entries);
}

/** The fields of `input` that were sent. */
function defined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * The configuration an update asks for: the deployed one with every field the update sent
 * (SERVICE.updateKeepsUnsentFields), keeping the deployed code package when none is sent.
 */
function updated(deployed: RuntimeConfig, input: UpdateAgentRuntimeInput): unknown {
  // Not settings: the name cannot change, and eviction applies to this update only.
  const sent = { ...input, forceEvictInstances: undefined, agentRuntimeName: undefined };
  return {
    ...deployed,
    ...defined(sent),
    codeConfiguration: codeAfterUpdate(deployed.codeConfiguration, input),
  };
}

function codeAfterUpdate(
  deployed: RuntimeConfig['codeConfiguration'],
  input: UpdateAgentRuntimeInput,
): RuntimeConfig['codeConfiguration'] {
  const sent = input.codeConfiguration;
  if (!sent) return deployed;
  if (!deployed || sent.zipFile !== undefined || sent.ossBucketName !== undefined) return sent;
  const { zipFile, ossBucketName, ossObjectName, checksum } = deployed;
  return { ...sent, zipFile, ossBucketName, ossObjectName, checksum: sent.checksum ?? checksum };
}

/**
 * Checks the package (inline, or the OSS object named) before accepting the call, as the service
 * validates its input: there, not empty, `checksum` equal to its CRC-64 (the computed one is stored),
 * and a zip whose entries all stay inside the code directory (its central directory is read, nothing
 * is extracted).
 */
async function withVerifiedCode(objects: ObjectStore, config: RuntimeConfig): Promise<RuntimeConfig> {
  const code = config.codeConfiguration;
  if (config.artifactType !== 'Code' || code === undefined) return config;
  if (code.zipFile === undefined && code.ossBucketName === undefined) return config;
  const field = code.zipFile !== undefined ? 'codeConfiguration.zipFile' : 'codeConfiguration.ossObjectName';
  const zip = codeSource(code, objects);
  const bytes =
    typeof zip === 'string'
      ? await objects.size(code.ossBucketName ?? '', code.ossObjectName ?? '')
      : zip.length;
  if (bytes === undefined) {
    throw invalid(`${field}: oss://${code.ossBucketName}/${code.ossObjectName} does not exist`);
  }
  if (bytes === 0) throw invalid(`${field}: the package is empty`);
  const actual = typeof zip === 'string' ? await crc64File(zip) : crc64(zip);
  if (code.checksum !== undefined && code.checksum !== actual) {
    throw invalid(
      `codeConfiguration.checksum: ${code.checksum} does not match the CRC-64 of the package (${actual})`,
    );
  }
  try {
    await checkZip(zip);
  } catch (error) {
    throw invalid(`${field}: ${(error as Error).message}`);
  }
  return { ...config, codeConfiguration: { ...code, checksum: actual } };
}

async function crc64File(file: string): Promise<string> {
  const crc = new Crc64();
  for await (const chunk of createReadStream(file)) crc.update(chunk as Buffer);
  return crc.digest();
}

/** An endpoint's settings from a create body, or an update merged with what it keeps. */
function endpointSettings(
  runtime: RuntimeRecord,
  input: CreateAgentRuntimeEndpointInput & { agentRuntimeEndpointName: string },
): Pick<
  EndpointRecord,
  | 'name'
  | 'description'
  | 'targetVersion'
  | 'routingConfiguration'
  | 'disablePublicNetworkAccess'
  | 'scalingConfig'
> {
  return {
    name: input.agentRuntimeEndpointName,
    description: input.description ?? '',
    targetVersion: checkRouting(runtime, input),
    routingConfiguration: input.routingConfiguration,
    disablePublicNetworkAccess: input.disablePublicNetworkAccess ?? false,
    scalingConfig: input.scalingConfig,
  };
}

/**
 * Checks targetVersion and versionWeights against the published versions (SERVICE.weights); returns the
 * target.
 */
function checkRouting(runtime: RuntimeRecord, input: CreateAgentRuntimeEndpointInput): string {
  const target = input.targetVersion ?? LATEST;
  const exists = (version: string): boolean =>
    version === LATEST || runtime.versions.some((v) => v.version === version);
  const published = runtime.versions.map((v) => v.version).join(', ') || 'none';
  if (!exists(target)) {
    throw invalid(`targetVersion: version ${target} does not exist (published versions: ${published})`);
  }
  const weights = input.routingConfiguration?.versionWeights ?? [];
  for (const { version = '' } of weights) {
    if (!exists(version)) {
      throw invalid(
        `routingConfiguration.versionWeights: version ${version} does not exist (published: ${published})`,
      );
    }
  }
  const sum = weights.reduce((total, w) => total + (w.weight ?? 0), 0);
  // Tolerate float noise such as 0.1 + 0.2.
  if (sum > 1 + 1e-9) {
    throw invalid(`routingConfiguration.versionWeights: weights sum to ${sum}, which is more than 1`);
  }
  return target;
}

function findRuntime(ctx: ControlContext, id: string): RuntimeRecord {
  const runtime = ctx.store.runtimes.get(id);
  if (!runtime) throw notFound(`AgentRuntime ${id} does not exist`);
  return runtime;
}

function findEndpoint(ctx: ControlContext, runtimeId: string, id: string): EndpointRecord {
  findRuntime(ctx, runtimeId);
  const endpoint = ctx.store.endpoints.get(id);
  if (!endpoint || endpoint.runtimeId !== runtimeId) {
    throw notFound(`AgentRuntimeEndpoint ${id} does not exist in AgentRuntime ${runtimeId}`);
  }
  return endpoint;
}

const BUSY: ReadonlySet<string> = new Set(SERVICE.busyStatuses);

/** Rejects a change while the resource is in a transition, as the service does. */
function assertSettled(kind: string, record: RuntimeRecord | EndpointRecord): void {
  if (BUSY.has(record.status)) {
    throw conflict(`${kind} ${record.id} is ${record.status}; retry when the operation has finished`);
  }
}

/** Endpoint changes need a runtime that is settled and has something to run. */
function assertRunnable(runtime: RuntimeRecord): void {
  assertSettled('AgentRuntime', runtime);
  if (runtime.status === Status.createFailed || runtime.status === Status.deleteFailed) {
    throw conflict(`AgentRuntime ${runtime.id} is ${runtime.status}; endpoints need a READY runtime`);
  }
}

function assertUniqueEndpoint(ctx: ControlContext, runtime: RuntimeRecord, name: string): void {
  if (ctx.store.endpointsOf(runtime.id).some((e) => e.name === name)) {
    throw alreadyExists(`AgentRuntimeEndpoint ${name} already exists in AgentRuntime ${runtime.id}`);
  }
}

/** A name filter for `searchMode` (SERVICE.searchModes): exact, or a case-insensitive substring. */
function nameFilter(name: string | undefined, mode: string = SERVICE.defaultSearchMode) {
  const modes: readonly string[] = SERVICE.searchModes;
  if (!modes.includes(mode)) throw invalid(`searchMode: must be one of ${modes.join(', ')} (got ${mode})`);
  return (candidate: string): boolean =>
    !name || (mode === 'exact' ? candidate === name : candidate.toLowerCase().includes(name.toLowerCase()));
}

function filterRuntimes(runtimes: RuntimeRecord[], query: Record<string, string>): RuntimeRecord[] {
  const named = nameFilter(query.agentRuntimeName, query.searchMode);
  const statuses = query.status?.split(',').filter(Boolean);
  const workspaces = (query.workspaceIds ?? query.workspaceId)?.split(',').filter(Boolean);
  return runtimes.filter((r) => {
    if (!named(r.config.agentRuntimeName)) return false;
    if (statuses?.length && !statuses.includes(r.status)) return false;
    return !workspaces?.length || workspaces.includes(workspaceOf(r));
  });
}

function page<T>(
  items: T[],
  query: Record<string, string>,
  view: (item: T) => object,
): { items: object[]; pageNumber: number; pageSize: number; total: number } {
  const number = (name: string, fallback: number, max: number): number => {
    const raw = query[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw badRequest(`${name}: must be an integer from 1 to ${max} (got ${raw})`);
    }
    return value;
  };
  const pageNumber = number('pageNumber', 1, Number.MAX_SAFE_INTEGER);
  const pageSize = number('pageSize', 20, SERVICE.maxPageSize);
  const start = (pageNumber - 1) * pageSize;
  return { items: items.slice(start, start + pageSize).map(view), pageNumber, pageSize, total: items.length };
}
