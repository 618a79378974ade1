import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { parseEndpoint } from '../endpoint.js';
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from '../agentrun/retry.js';
import { systemClock, type Clock } from '../system/clock.js';
import { SlsError, type Created, type SlsApi } from './api.js';
import {
  SLS_API_VERSION,
  SlsCodes,
  type CreateLogStoreInput,
  type CreateProjectInput,
  type GetLogsInput,
  type GetLogsOutput,
  type Index,
  type Logstore,
  type Project,
  type SlsErrorBody,
} from './model.js';
import { contentMd5, SIGNATURE_METHOD, sign, stringToSign } from './signature.js';

export interface SlsClientOptions {
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  /** `cn-hangzhou.log.aliyuncs.com` (HTTPS), or a full URL such as an emulator's `http://127.0.0.1:9000`. */
  endpoint: string;
  requestTimeoutMs?: number;
  retry?: RetryPolicy;
  onRetry?: (message: string) => void;
  clock?: Clock;
}

interface Call {
  action: string;
  method: 'GET' | 'POST';
  path: string;
  /** Absent for the account-level CreateProject. */
  project?: string;
  body?: unknown;
}

/**
 * The SLS operations over node's HTTP client, signed as `@alicloud/gateway-sls` signs them (v1,
 * HMAC-SHA256). A project is addressed as the official SDK addresses it, by the host name
 * `<project>.<endpoint>`; an endpoint given as an IP address (a local emulator) is connected to
 * directly with that host name in the Host header, since no resolver knows `<project>.127.0.0.1`.
 */
export class SlsClient implements SlsApi {
  private readonly endpoint: ReturnType<typeof parseEndpoint>;
  private readonly clock: Clock;

  constructor(private readonly options: SlsClientOptions) {
    this.endpoint = parseEndpoint(options.endpoint);
    this.clock = options.clock ?? systemClock;
  }

  getProject(project: string): Promise<Project | undefined> {
    return this.orMissing(SlsCodes.projectNotExist, () =>
      this.call<Project>({ action: 'GetProject', method: 'GET', path: '/', project }),
    );
  }

  createProject(input: CreateProjectInput): Promise<Created> {
    return this.create(SlsCodes.projectAlreadyExist, {
      action: 'CreateProject',
      method: 'POST',
      path: '/',
      body: input,
    });
  }

  getLogStore(project: string, logstore: string): Promise<Logstore | undefined> {
    return this.orMissing(SlsCodes.logStoreNotExist, () =>
      this.call<Logstore>({ action: 'GetLogStore', method: 'GET', path: `/logstores/${logstore}`, project }),
    );
  }

  createLogStore(project: string, input: CreateLogStoreInput): Promise<Created> {
    return this.create(SlsCodes.logStoreAlreadyExist, {
      action: 'CreateLogStore',
      method: 'POST',
      path: '/logstores',
      project,
      body: input,
    });
  }

  getIndex(project: string, logstore: string): Promise<Index | undefined> {
    return this.orMissing(SlsCodes.indexNotExist, () =>
      this.call<Index>({ action: 'GetIndex', method: 'GET', path: `/logstores/${logstore}/index`, project }),
    );
  }

  createIndex(project: string, logstore: string, index: Index): Promise<Created> {
    return this.create(SlsCodes.indexAlreadyExist, {
      action: 'CreateIndex',
      method: 'POST',
      path: `/logstores/${logstore}/index`,
      project,
      body: index,
    });
  }

  getLogs(project: string, logstore: string, input: GetLogsInput): Promise<GetLogsOutput> {
    return this.call<GetLogsOutput>({
      action: 'GetLogsV2',
      method: 'POST',
      path: `/logstores/${logstore}/logs`,
      project,
      body: input,
    });
  }

  private async orMissing<T>(code: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof SlsError && error.code === code) return undefined;
      throw error;
    }
  }

  /** A create that another job may win: its "already exists" counts as done. */
  private async create(code: string, call: Call): Promise<Created> {
    try {
      await this.call(call);
      return 'created';
    } catch (error) {
      if (error instanceof SlsError && error.code === code) return 'exists';
      throw error;
    }
  }

  private async call<T>(call: Call): Promise<T> {
    const policy = this.options.retry ?? DEFAULT_RETRY;
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.send(call)) as T;
      } catch (error) {
        if (!(error instanceof SlsError) || !error.retryable || attempt >= policy.attempts) throw error;
        const delay = backoffDelay(policy, attempt - 1, Math.random);
        this.options.onRetry?.(`${error.message} Retrying in ${(delay / 1000).toFixed(1)} s.`);
        await this.clock.sleep(delay);
      }
    }
  }

  private send(call: Call): Promise<unknown> {
    const { protocol, host } = this.endpoint;
    const [endpointHost, port] = splitHost(host);
    const bare = endpointHost.replace(/^\[|\]$/g, '');
    const direct = isIP(bare) !== 0 || bare === 'localhost';
    const hostName = call.project === undefined ? endpointHost : `${call.project}.${endpointHost}`;
    const hostHeader = port === undefined ? hostName : `${hostName}:${port}`;
    const body = call.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(call.body));
    const headers: Record<string, string> = {
      accept: 'application/json',
      host: hostHeader,
      date: new Date(this.clock.now()).toUTCString(),
      'x-log-apiversion': SLS_API_VERSION,
      'x-log-bodyrawsize': String(body.length),
      'x-log-signaturemethod': SIGNATURE_METHOD,
    };
    if (body.length) {
      headers['content-type'] = 'application/json';
      headers['content-md5'] = contentMd5(body);
    }
    const { accessKeyId, accessKeySecret, securityToken } = this.options.credentials;
    if (securityToken) headers['x-acs-security-token'] = securityToken;
    const signature = sign(stringToSign(call.method, call.path, {}, headers), accessKeySecret);
    headers.authorization = `LOG ${accessKeyId}:${signature}`;
    headers['content-length'] = String(body.length);
    const request = protocol === 'https' ? httpsRequest : httpRequest;
    const timeoutMs = this.options.requestTimeoutMs ?? 60_000;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: direct ? bare : hostName,
          port: port ?? (protocol === 'https' ? 443 : 80),
          ...(!direct && { servername: hostName }),
          method: call.method,
          path: call.path,
          headers,
          timeout: timeoutMs,
        },
        (res) => void readAnswer(call.action, res).then(resolve, reject),
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) =>
        reject(new SlsError(call.action, error.message, undefined, error.code)),
      );
      req.end(body);
    });
  }
}

async function readAnswer(action: string, res: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of res as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  const status = res.statusCode ?? 0;
  const requestId = res.headers['x-log-requestid'] as string | undefined;
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new SlsError(
      action,
      `an answer that is not JSON: ${text.slice(0, 200)}`,
      status,
      undefined,
      requestId,
    );
  }
  if (status >= 400) {
    const error = (json ?? {}) as Partial<SlsErrorBody>;
    throw new SlsError(action, error.errorMessage ?? `HTTP ${status}`, status, error.errorCode, requestId);
  }
  return json;
}

/** `host:port` → [host, port]; an IPv6 literal keeps its brackets. */
function splitHost(host: string): [string, number | undefined] {
  const match = /^(.*?)(?::(\d+))?$/.exec(host)!;
  return [match[1]!, match[2] === undefined ? undefined : Number(match[2])];
}
