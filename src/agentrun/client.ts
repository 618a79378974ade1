import OpenApi from '@alicloud/openapi-client';
import TeaUtil from '@alicloud/tea-util';
import { parseEndpoint } from '../endpoint.js';
import { systemClock, type Clock } from '../system/clock.js';
import type { AgentRunApi, Endpoint, FoundWorkspace, Runtime, Version, WorkspaceRef } from './api.js';
import { changedFields } from './compare.js';
import { AgentRunError, toAgentRunError } from './errors.js';
import type {
  CreateAgentRuntimeEndpointInput,
  CreateAgentRuntimeInput,
  CreateWorkspaceInput,
  ListWorkspacesOutput,
  Page,
  UpdateAgentRuntimeEndpointInput,
  UpdateAgentRuntimeInput,
} from './model.js';
import { DEFAULT_RETRY, withRetry, type RetryDeps, type RetryPolicy } from './retry.js';
import { SERVICE } from './service.js';

const API_VERSION = '2025-09-10';
const BASE = `/${API_VERSION}/agents/runtimes`;
const WORKSPACES = `/${API_VERSION}/workspaces`;
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

export interface ApiCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface AgentRunClientOptions {
  credentials: ApiCredentials;
  /** Host name (`agentrun.cn-hangzhou.aliyuncs.com`, HTTPS) or full URL (`http://127.0.0.1:9000`). */
  endpoint: string;
  /** How long one request may take, from connecting to the last byte of the answer. Default 60 s. */
  requestTimeoutMs?: number;
  retry?: RetryPolicy;
  /** Told about each retry, e.g. to log "throttled, retrying in 1.2 s". */
  onRetry?: (message: string) => void;
  clock?: Clock;
  /** Jitter source of the backoff. */
  random?: () => number;
}

/** The control-plane host of a region; `api-endpoint` overrides it. */
export function regionEndpoint(region: string): string {
  return `agentrun.${region}.aliyuncs.com`;
}

interface Call {
  action: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pathname: string;
  query?: Record<string, string>;
  body?: unknown;
}

/**
 * Typed AgentRun operations over `@alicloud/openapi-client` (ACS3-HMAC-SHA256 signed ROA calls).
 * Every call retries throttling, 5xx, resets and timeouts with jittered backoff. A write is repeated
 * only after checking that its lost attempt did not already take effect: a create looks the resource
 * up, a publish looks for its description, an update compares the resource with what it sent.
 */
export class AgentRunClient implements AgentRunApi {
  private readonly sdk: InstanceType<typeof OpenApi.default>;
  private readonly retry: RetryPolicy;
  private readonly deps: RetryDeps;
  /** `lastUpdatedAt` of each runtime as this client last read it. */
  private readonly lastUpdated = new Map<string, string | undefined>();
  /** Workspaces resolved so far, by reference: a deploy asks for the same one many times. */
  private readonly workspaces = new Map<string, Promise<FoundWorkspace | undefined>>();

  constructor(private readonly options: AgentRunClientOptions) {
    const { protocol, host } = parseEndpoint(options.endpoint);
    this.sdk = new OpenApi.default(
      new OpenApi.Config({
        accessKeyId: options.credentials.accessKeyId,
        accessKeySecret: options.credentials.accessKeySecret,
        securityToken: options.credentials.securityToken,
        endpoint: host,
        protocol,
        // The SDK's HTTP layer also uses the connect timeout as the socket's idle timeout, so a shorter
        // one would cut off any answer the service takes longer than that to send (a large upload).
        connectTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        readTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        userAgent: 'agentrun-deploy',
      }),
    );
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.deps = { clock: options.clock ?? systemClock, random: options.random ?? Math.random };
  }

  async getRuntime(runtimeId: string): Promise<Runtime> {
    return this.seen(
      runtime(
        await this.data({ action: 'GetAgentRuntime', method: 'GET', pathname: runtimePath(runtimeId) }),
      ),
    );
  }

  /** The runtime named exactly `name` in the workspace, or undefined. (Other search modes match loosely.) */
  async findRuntime(name: string, workspace?: WorkspaceRef): Promise<Runtime | undefined> {
    const found = await this.resolveWorkspace(workspace, false);
    if (!found) return undefined;
    const items = await this.listAll('ListAgentRuntimes', BASE, {
      agentRuntimeName: name,
      searchMode: 'exact',
      [SERVICE.workspaces.listFilter]: found.workspaceId,
    });
    const match = items.find((item) => item.agentRuntimeName === name);
    return match && this.seen(runtime(match));
  }

  /**
   * See {@link AgentRunApi.resolveWorkspace}. Each reference is looked up once per client, so resources
   * deploying side by side into a workspace that does not exist yet create it once.
   */
  resolveWorkspace(ref: WorkspaceRef | undefined, create: boolean): Promise<FoundWorkspace | undefined> {
    const key = JSON.stringify([ref?.id, ref?.name, create]);
    let found = this.workspaces.get(key);
    if (!found) {
      found = this.lookUpWorkspace(ref, create);
      this.workspaces.set(key, found);
      // Neither a miss nor a failure is remembered: the next caller asks again.
      const forget = () => this.workspaces.delete(key);
      found.then((workspace) => workspace ?? forget(), forget);
    }
    return found;
  }

  private async lookUpWorkspace(
    ref: WorkspaceRef | undefined,
    create: boolean,
  ): Promise<FoundWorkspace | undefined> {
    if (ref?.id) {
      return foundWorkspace(
        await this.data({
          action: 'GetWorkspace',
          method: 'GET',
          pathname: `${WORKSPACES}/${encodeURIComponent(ref.id)}`,
        }),
      );
    }
    const name = ref?.name;
    const listed = await this.listWorkspaces(name);
    const found = listed.find((item) => (name ? item.name === name : item.isDefault === true));
    if (found) return foundWorkspace(found);
    if (!name) {
      throw new AgentRunError(
        'NotFound',
        'ListWorkspaces',
        'the account has no default workspace: name one under `agent.workspace` (`id` or `name`)',
      );
    }
    if (!create || !SERVICE.workspaces.createMissingByName) return undefined;
    const input: CreateWorkspaceInput = {
      name,
      ...(ref.description !== undefined && { description: ref.description }),
      ...(ref.resourceGroupId !== undefined && { resourceGroupId: ref.resourceGroupId }),
    };
    return foundWorkspace(
      await this.data(
        { action: 'CreateWorkspace', method: 'POST', pathname: WORKSPACES, body: input },
        async () => (await this.listWorkspaces(name)).find((item) => item.name === name),
      ),
    );
  }

  private async listWorkspaces(name: string | undefined): Promise<FoundWorkspace[]> {
    const items: FoundWorkspace[] = [];
    for (let pageNumber = 1; ; pageNumber++) {
      const page = await this.data<ListWorkspacesOutput>({
        action: 'ListWorkspaces',
        method: 'GET',
        pathname: WORKSPACES,
        query: {
          ...(name !== undefined && { name }),
          pageNumber: String(pageNumber),
          pageSize: String(SERVICE.maxPageSize),
        },
      });
      const workspaces = page.workspaces ?? [];
      items.push(...workspaces.map(foundWorkspace));
      if (workspaces.length < SERVICE.maxPageSize || items.length >= (page.total ?? items.length))
        return items;
    }
  }

  async createRuntime(input: CreateAgentRuntimeInput): Promise<Runtime> {
    return runtime(
      await this.data({ action: 'CreateAgentRuntime', method: 'POST', pathname: BASE, body: input }, () =>
        this.findRuntime(input.agentRuntimeName, input.workspaceId ? { id: input.workspaceId } : undefined),
      ),
    );
  }

  /**
   * A GET does not show whether new code arrived, so a lost attempt counts as applied only when the
   * runtime is busy with it, or was changed since this client last saw it and shows every field sent.
   * Otherwise the same update is sent again, which is harmless.
   */
  async updateRuntime(runtimeId: string, input: UpdateAgentRuntimeInput): Promise<Runtime> {
    const before = this.lastUpdated.get(runtimeId);
    return runtime(
      await this.data(
        { action: 'UpdateAgentRuntime', method: 'PUT', pathname: runtimePath(runtimeId), body: input },
        async () => {
          const current = await this.getRuntime(runtimeId);
          const changedSince = before !== undefined && current.lastUpdatedAt !== before;
          const applied =
            current.status === 'UPDATING' || (changedSince && changedFields(input, current).length === 0);
          return applied ? current : undefined;
        },
      ),
    );
  }

  async deleteRuntime(runtimeId: string): Promise<void> {
    await this.data({ action: 'DeleteAgentRuntime', method: 'DELETE', pathname: runtimePath(runtimeId) });
  }

  /**
   * Publishes the current configuration as a new immutable version. `description` should be unique to
   * this deploy: a retry first looks for a version with it, so a lost response never publishes twice.
   */
  async publishVersion(runtimeId: string, description: string): Promise<Version> {
    return version(
      await this.data(
        {
          action: 'PublishRuntimeVersion',
          method: 'POST',
          pathname: `${runtimePath(runtimeId)}/versions`,
          body: { description },
        },
        async () => (await this.listVersions(runtimeId)).find((found) => found.description === description),
      ),
    );
  }

  async listVersions(runtimeId: string): Promise<Version[]> {
    return (await this.listAll('ListAgentRuntimeVersions', `${runtimePath(runtimeId)}/versions`)).map(
      version,
    );
  }

  async listEndpoints(runtimeId: string): Promise<Endpoint[]> {
    return (await this.listAll('ListAgentRuntimeEndpoints', `${runtimePath(runtimeId)}/endpoints`)).map(
      endpoint,
    );
  }

  async getEndpoint(runtimeId: string, endpointId: string): Promise<Endpoint> {
    return endpoint(
      await this.data({
        action: 'GetAgentRuntimeEndpoint',
        method: 'GET',
        pathname: endpointPath(runtimeId, endpointId),
      }),
    );
  }

  async createEndpoint(runtimeId: string, input: CreateAgentRuntimeEndpointInput): Promise<Endpoint> {
    return endpoint(
      await this.data(
        {
          action: 'CreateAgentRuntimeEndpoint',
          method: 'POST',
          pathname: `${runtimePath(runtimeId)}/endpoints`,
          body: input,
        },
        async () =>
          (await this.listEndpoints(runtimeId)).find(
            (found) => found.agentRuntimeEndpointName === input.agentRuntimeEndpointName,
          ),
      ),
    );
  }

  async updateEndpoint(
    runtimeId: string,
    endpointId: string,
    input: UpdateAgentRuntimeEndpointInput,
  ): Promise<Endpoint> {
    return endpoint(
      await this.data(
        {
          action: 'UpdateAgentRuntimeEndpoint',
          method: 'PUT',
          pathname: endpointPath(runtimeId, endpointId),
          body: input,
        },
        async () => {
          const current = await this.getEndpoint(runtimeId, endpointId);
          return changedFields(input, current).length === 0 ? current : undefined;
        },
      ),
    );
  }

  async deleteEndpoint(runtimeId: string, endpointId: string): Promise<void> {
    await this.data({
      action: 'DeleteAgentRuntimeEndpoint',
      method: 'DELETE',
      pathname: endpointPath(runtimeId, endpointId),
    });
  }

  /** Remembers when the service last changed `found`, so a lost update can be recognised. */
  private seen(found: Runtime): Runtime {
    this.lastUpdated.set(found.agentRuntimeId, found.lastUpdatedAt);
    return found;
  }

  private async listAll(
    action: string,
    pathname: string,
    filter: Record<string, string> = {},
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for (let pageNumber = 1; ; pageNumber++) {
      const page = await this.data<Page<Record<string, unknown>>>({
        action,
        method: 'GET',
        pathname,
        query: { ...filter, pageNumber: String(pageNumber), pageSize: String(SERVICE.maxPageSize) },
      });
      items.push(...(page.items ?? []));
      const total = page.total ?? items.length;
      if ((page.items ?? []).length < SERVICE.maxPageSize || items.length >= total) return items;
    }
  }

  /** One API call with retries; returns the envelope's `data`. */
  private async data<T = unknown>(call: Call, lookupBeforeRetry?: () => Promise<T | undefined>): Promise<T> {
    return withRetry(() => this.send<T>(call), this.retry, this.deps, {
      beforeRetry: lookupBeforeRetry,
      onRetry: (error, delayMs) =>
        this.options.onRetry?.(
          `${call.action}: ${error.kind.toLowerCase()}, retrying in ${(delayMs / 1000).toFixed(1)} s`,
        ),
    });
  }

  private async send<T>(call: Call): Promise<T> {
    let response: { body?: { data?: T } };
    try {
      response = await this.sdk.callApi(
        new OpenApi.Params({
          action: call.action,
          version: API_VERSION,
          protocol: 'HTTPS',
          pathname: call.pathname,
          method: call.method,
          authType: 'AK',
          style: 'ROA',
          reqBodyType: 'json',
          bodyType: 'json',
        }),
        new OpenApi.OpenApiRequest({ query: call.query, body: call.body }),
        new TeaUtil.RuntimeOptions({}),
      );
    } catch (error) {
      throw toAgentRunError(call.action, error);
    }
    const data = response.body?.data;
    // A delete's answer may carry the deleted resource; nothing relies on it.
    if (data === undefined && call.method !== 'DELETE') {
      throw new AgentRunError('Server', call.action, 'the response has no data');
    }
    return data as T;
  }
}

const runtimePath = (runtimeId: string) => `${BASE}/${encodeURIComponent(runtimeId)}`;
const endpointPath = (runtimeId: string, endpointId: string) =>
  `${runtimePath(runtimeId)}/endpoints/${encodeURIComponent(endpointId)}`;

/** Checks that an answer has the fields callers rely on, rather than failing somewhere later. */
function withFields<T>(kind: string, fields: readonly string[]) {
  return (data: unknown): T => {
    const record = (data ?? {}) as Record<string, unknown>;
    const missing = fields.filter((field) => typeof record[field] !== 'string' || record[field] === '');
    if (missing.length) {
      throw new AgentRunError('Server', kind, `the answer has no ${missing.join(', ')}`);
    }
    return record as T;
  };
}

const runtime = withFields<Runtime>('AgentRuntime', ['agentRuntimeId', 'agentRuntimeName', 'status']);
const endpoint = withFields<Endpoint>('AgentRuntimeEndpoint', [
  'agentRuntimeEndpointId',
  'agentRuntimeEndpointName',
]);
const version = withFields<Version>('AgentRuntimeVersion', ['agentRuntimeVersion']);
const foundWorkspace = withFields<FoundWorkspace>('Workspace', ['workspaceId']);
