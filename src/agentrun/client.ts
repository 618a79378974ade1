import OpenApi from '@alicloud/openapi-client';
import TeaUtil from '@alicloud/tea-util';
import { parseEndpoint } from '../endpoint.js';
import { systemClock, type Clock } from '../system/clock.js';
import { changedFields } from './compare.js';
import type { AgentRunApi } from './api.js';
import { AgentRunError, toAgentRunError } from './errors.js';
import { DEFAULT_RETRY, withRetry, type RetryDeps, type RetryPolicy } from './retry.js';
import type {
  AgentRuntime,
  AgentRuntimeEndpoint,
  AgentRuntimeEndpointInput,
  AgentRuntimeInput,
  AgentRuntimeVersion,
  Page,
} from './types.js';

const API_VERSION = '2025-09-10';
const BASE = `/${API_VERSION}/agents/runtimes`;
const PAGE_SIZE = 100;
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
  method: 'GET' | 'POST' | 'PUT';
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

  async getRuntime(runtimeId: string): Promise<AgentRuntime> {
    return this.data({ action: 'GetAgentRuntime', method: 'GET', pathname: `${BASE}/${enc(runtimeId)}` });
  }

  /** The runtime named exactly `name`, or undefined. (The API's name filter may match loosely.) */
  async findRuntime(name: string): Promise<AgentRuntime | undefined> {
    const items = await this.listAll<AgentRuntime>('ListAgentRuntimes', BASE, {
      agentRuntimeName: name,
      searchMode: 'exact',
    });
    return items.find((runtime) => runtime.agentRuntimeName === name);
  }

  async createRuntime(input: AgentRuntimeInput): Promise<AgentRuntime> {
    return this.data({ action: 'CreateAgentRuntime', method: 'POST', pathname: BASE, body: input }, () =>
      this.findRuntime(input.agentRuntimeName),
    );
  }

  async updateRuntime(runtimeId: string, input: AgentRuntimeInput): Promise<AgentRuntime> {
    return this.data(
      { action: 'UpdateAgentRuntime', method: 'PUT', pathname: `${BASE}/${enc(runtimeId)}`, body: input },
      // A repeat of an update that went through would only meet a 409 while the runtime is UPDATING.
      async () => applied(input, await this.getRuntime(runtimeId)),
    );
  }

  /**
   * Publishes the current configuration as a new immutable version. `description` should be unique to
   * this deploy: a retry first looks for a version with it, so a lost response never publishes twice.
   */
  async publishVersion(runtimeId: string, description: string): Promise<AgentRuntimeVersion> {
    return this.data(
      {
        action: 'PublishRuntimeVersion',
        method: 'POST',
        pathname: `${BASE}/${enc(runtimeId)}/versions`,
        body: { description },
      },
      async () => (await this.listVersions(runtimeId)).find((version) => version.description === description),
    );
  }

  async listVersions(runtimeId: string): Promise<AgentRuntimeVersion[]> {
    return this.listAll('ListAgentRuntimeVersions', `${BASE}/${enc(runtimeId)}/versions`);
  }

  async listEndpoints(runtimeId: string): Promise<AgentRuntimeEndpoint[]> {
    return this.listAll('ListAgentRuntimeEndpoints', `${BASE}/${enc(runtimeId)}/endpoints`);
  }

  async getEndpoint(runtimeId: string, endpointId: string): Promise<AgentRuntimeEndpoint> {
    return this.data({
      action: 'GetAgentRuntimeEndpoint',
      method: 'GET',
      pathname: `${BASE}/${enc(runtimeId)}/endpoints/${enc(endpointId)}`,
    });
  }

  async createEndpoint(runtimeId: string, input: AgentRuntimeEndpointInput): Promise<AgentRuntimeEndpoint> {
    return this.data(
      {
        action: 'CreateAgentRuntimeEndpoint',
        method: 'POST',
        pathname: `${BASE}/${enc(runtimeId)}/endpoints`,
        body: input,
      },
      async () =>
        (await this.listEndpoints(runtimeId)).find(
          (endpoint) => endpoint.agentRuntimeEndpointName === input.agentRuntimeEndpointName,
        ),
    );
  }

  async updateEndpoint(
    runtimeId: string,
    endpointId: string,
    input: AgentRuntimeEndpointInput,
  ): Promise<AgentRuntimeEndpoint> {
    return this.data(
      {
        action: 'UpdateAgentRuntimeEndpoint',
        method: 'PUT',
        pathname: `${BASE}/${enc(runtimeId)}/endpoints/${enc(endpointId)}`,
        body: input,
      },
      async () => applied(input, await this.getEndpoint(runtimeId, endpointId)),
    );
  }

  private async listAll<T>(
    action: string,
    pathname: string,
    filter: Record<string, string> = {},
  ): Promise<T[]> {
    const items: T[] = [];
    for (let pageNumber = 1; ; pageNumber++) {
      const page = await this.data<Page<T>>({
        action,
        method: 'GET',
        pathname,
        query: { ...filter, pageNumber: String(pageNumber), pageSize: String(PAGE_SIZE) },
      });
      items.push(...(page.items ?? []));
      const total = page.total ?? items.length;
      if ((page.items ?? []).length < PAGE_SIZE || items.length >= total) return items;
    }
  }

  /** One API call with retries; returns the envelope's `data`. */
  private async data<T>(call: Call, lookupBeforeRetry?: () => Promise<T | undefined>): Promise<T> {
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
    if (data === undefined) {
      throw new AgentRunError('Server', call.action, 'the response has no data');
    }
    return data as T;
  }
}

const enc = encodeURIComponent;

/** The resource when it already carries everything `input` asked for, else undefined. */
function applied<T extends object>(input: object, resource: T): T | undefined {
  const asRecord = (value: object) => ({ ...value }) as Record<string, unknown>;
  return changedFields(asRecord(input), asRecord(resource)).length === 0 ? resource : undefined;
}
