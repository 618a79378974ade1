/**
 * Simple Log Service on the emulator's main port: the project, logstore and index operations and
 * GetLogsV2, as `@alicloud/sls20201230` sends them (paths, JSON bodies, the project in the Host name
 * `<project>.<endpoint>`), with the service's error body `{errorCode, errorMessage}` and the v1 `LOG`
 * signature checked as `@alicloud/gateway-sls` computes it. The agents the emulator runs write their
 * output here (`append`), tagged with the fields of `src/logs/layout.ts`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { LogField, SlsField } from '../src/logs/layout.js';
import {
  SlsCodes,
  createLogStoreInput,
  createProjectInput,
  getLogsInput,
  indexInput,
  type GetLogsOutput,
  type Index,
  type LogRecord,
  type Logstore,
  type Project,
} from '../src/logs/model.js';
import { contentMd5, sign, stringToSign } from '../src/logs/signature.js';
import { ApiError } from './errors.js';
import type { KeyRing } from './keys.js';
import { compileQuery } from './slsQuery.js';

interface LogstoreRecord {
  logstore: Logstore;
  index?: Index;
  logs: LogRecord[];
}

interface ProjectRecord {
  project: Project;
  logstores: Map<string, LogstoreRecord>;
}

/** One line an agent printed, with what it came from. */
export interface AgentLine {
  runtime: string;
  version: string;
  endpoint: string;
  instance: string;
  message: string;
}

/** Every project, logstore and log line; in memory only (the state file keeps the AgentRun side). */
export class LogService {
  private readonly projects = new Map<string, ProjectRecord>();

  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  /** Appends an agent's line to `project`/`logstore`; dropped when they do not exist, as in the cloud. */
  append(project: string, logstore: string, line: AgentLine): void {
    const store = this.projects.get(project)?.logstores.get(logstore);
    if (!store) return;
    store.logs.push({
      [SlsField.time]: String(Math.floor(Date.now() / 1000)),
      [SlsField.source]: '127.0.0.1',
      [SlsField.topic]: '',
      [LogField.runtime]: line.runtime,
      [LogField.version]: line.version,
      [LogField.endpoint]: line.endpoint,
      [LogField.instance]: line.instance,
      [LogField.message]: line.message,
    });
  }

  /** How many projects and logstores exist, for tests of idempotence. */
  counts(): { projects: number; logstores: number } {
    const logstores = [...this.projects.values()].reduce((sum, p) => sum + p.logstores.size, 0);
    return { projects: this.projects.size, logstores };
  }

  clear(): void {
    this.projects.clear();
  }

  /** Handles one SLS request; resolves to the status and JSON body (undefined: an empty body). */
  handle(call: SlsCall): { action: string; body?: unknown } {
    const route = routeOf(call);
    const { project: name } = call;
    if (route.action === 'CreateProject')
      return { action: route.action, body: this.createProject(call.json) };
    const project = this.projects.get(name ?? '');
    if (!project) throw notExist(SlsCodes.projectNotExist, `Project ${name ?? '(none)'} does not exist`);
    if (route.action === 'GetProject') return { action: route.action, body: project.project };
    if (route.action === 'CreateLogStore') {
      const input = parse(createLogStoreInput, call.json);
      if (project.logstores.has(input.logstoreName)) {
        throw exists(SlsCodes.logStoreAlreadyExist, `logstore ${input.logstoreName} already exists`);
      }
      const now = Math.floor(Date.now() / 1000);
      const logstore = { ...input, createTime: now, lastModifyTime: now };
      project.logstores.set(input.logstoreName, { logstore, logs: [] });
      return { action: route.action };
    }
    const store = project.logstores.get(route.logstore ?? '');
    if (!store) throw notExist(SlsCodes.logStoreNotExist, `logstore ${route.logstore} does not exist`);
    switch (route.action) {
      case 'GetLogStore':
        return { action: route.action, body: store.logstore };
      case 'GetIndex':
        if (!store.index) throw notExist(SlsCodes.indexNotExist, `index config doesn't exist`);
        return { action: route.action, body: store.index };
      case 'CreateIndex':
        if (store.index) throw exists(SlsCodes.indexAlreadyExist, 'log store index is already created');
        store.index = parse(indexInput, call.json);
        return { action: route.action };
      default:
        return { action: route.action, body: getLogs(store, parse(getLogsInput, call.json)) };
    }
  }

  private createProject(json: unknown): undefined {
    const input = parse(createProjectInput, json);
    if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(input.projectName)) {
      throw invalidParameter(`project name ${input.projectName} is invalid`);
    }
    if (this.projects.has(input.projectName)) {
      throw exists(SlsCodes.projectAlreadyExist, `Project ${input.projectName} already exist`);
    }
    const now = new Date().toISOString();
    const project: Project = {
      projectName: input.projectName,
      description: input.description,
      region: this.region,
      owner: this.accountId,
      status: 'Normal',
      createTime: now,
      lastModifyTime: now,
    };
    this.projects.set(input.projectName, { project, logstores: new Map() });
    return undefined;
  }
}

/** An SLS request as the server hands it over, signature already checked. */
export interface SlsCall {
  method: string;
  path: string;
  /** From the Host name; undefined for the account-level CreateProject. */
  project?: string;
  json?: unknown;
}

type SlsAction =
  | 'CreateProject'
  | 'GetProject'
  | 'CreateLogStore'
  | 'GetLogStore'
  | 'CreateIndex'
  | 'GetIndex'
  | 'GetLogsV2';

function routeOf({ method, path, project }: SlsCall): { action: SlsAction; logstore?: string } {
  const key = `${method} ${path.replace(/^\/logstores\/[^/]+/, '/logstores/{logstore}')}`;
  const logstore = /^\/logstores\/([^/]+)/.exec(path)?.[1];
  const action = (
    {
      'POST /': project === undefined ? 'CreateProject' : undefined,
      'GET /': 'GetProject',
      'POST /logstores': 'CreateLogStore',
      'GET /logstores/{logstore}': 'GetLogStore',
      'POST /logstores/{logstore}/index': 'CreateIndex',
      'GET /logstores/{logstore}/index': 'GetIndex',
      'POST /logstores/{logstore}/logs': 'GetLogsV2',
    } as Record<string, SlsAction | undefined>
  )[key];
  if (!action)
    throw new ApiError(404, 'InvalidAction', `the emulator serves no SLS operation ${method} ${path}`);
  return { action, logstore: logstore && decodeURIComponent(logstore) };
}

/** The logs in [from, to) that match the query, oldest first unless `reverse`, `line` at most (100). */
function getLogs(store: LogstoreRecord, input: ReturnType<typeof getLogsInput.parse>): GetLogsOutput {
  const started = Date.now();
  const matches = compileQuery(input.query);
  const inRange = store.logs.filter((log) => {
    const time = Number(log[SlsField.time]);
    return time >= input.from && time < input.to;
  });
  const found = inRange.filter(matches);
  const ordered = input.reverse ? [...found].reverse() : found;
  const offset = input.offset ?? 0;
  const data = ordered.slice(offset, offset + (input.line ?? 100));
  const keys = [...new Set(data.flatMap((log) => Object.keys(log)))];
  return {
    meta: {
      progress: 'Complete',
      count: data.length,
      processedRows: inRange.length,
      elapsedMillisecond: Date.now() - started,
      hasSQL: false,
      keys,
    },
    data,
  };
}

/** Checks `Authorization: LOG <id>:<signature>` and the date; throws the service's error otherwise. */
export function verifySls(
  request: {
    method: string;
    path: string;
    query: Record<string, string>;
    headers: IncomingHttpHeaders;
    body: Buffer;
  },
  keys: KeyRing,
): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const match = /^LOG ([^:]+):(.+)$/.exec(headers.authorization ?? '');
  if (!match)
    throw new ApiError(
      401,
      'Unauthorized',
      'The Authorization header is missing or not LOG <AccessKeyId>:<Signature>.',
    );
  const key = keys.resolve(match[1]!, headers['x-acs-security-token']);
  const date = Date.parse(headers.date ?? '');
  if (Number.isNaN(date) || Math.abs(Date.now() - date) > 15 * 60 * 1000) {
    throw new ApiError(
      400,
      'RequestTimeTooSkewed',
      `The Date header ${headers.date ?? '(none)'} is missing or more than 15 minutes from the server's time.`,
    );
  }
  if (request.body.length > 0 && headers['content-md5'] !== contentMd5(request.body)) {
    throw new ApiError(400, 'InvalidContentMD5', 'The Content-MD5 header does not match the body.');
  }
  const expected = Buffer.from(
    sign(stringToSign(request.method, request.path, request.query, headers), key.accessKeySecret),
  );
  const given = Buffer.from(match[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new ApiError(401, 'SignatureNotMatch', 'signature ' + match[2] + ' not match');
  }
}

/**
 * The project a Host name addresses: `<project>.<endpoint>`, where the endpoint is an IPv4 address,
 * `localhost` or `<region>.log.aliyuncs.com`; the bare endpoint addresses the account.
 */
export function projectOfHost(host: string | undefined): string | undefined {
  const name = (host ?? '').replace(/:\d+$/, '');
  const endpoint = /(^|\.)((\d{1,3}\.){3}\d{1,3}|localhost|[a-z0-9-]+\.log\.aliyuncs\.com)$/.exec(name);
  if (!endpoint || endpoint.index === 0) return undefined;
  return name.slice(0, endpoint.index);
}

/** Whether a request is meant for SLS: every SLS client sends `x-log-apiversion`. */
export function isSlsRequest(headers: IncomingHttpHeaders): boolean {
  return headers['x-log-apiversion'] !== undefined;
}

/** The SLS error body. */
export function slsErrorBody(error: ApiError): { errorCode: string; errorMessage: string } {
  return { errorCode: error.code, errorMessage: error.message };
}

function parse<T>(
  schema: {
    safeParse(
      value: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw invalidParameter(`${issue.path.join('.') || 'body'}: ${issue.message}`);
}

const invalidParameter = (message: string): ApiError => new ApiError(400, 'ParameterInvalid', message);
const notExist = (code: string, message: string): ApiError => new ApiError(404, code, message);
const exists = (code: string, message: string): ApiError => new ApiError(400, code, message);
