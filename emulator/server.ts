/**
 * The control-plane server (AgentRun ROA API + STS RPC + Function Compute's temporary code bucket and
 * its OSS object store + `/__emulator/` admin routes on one port):
 * body limits, routing, signature checks, fault injection and the request log, in that order.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleAdmin, type AdminContext } from './admin.js';
import { API_VERSION, BODY_ACTIONS, handleControl, matchRoute, type ControlContext } from './controlPlane.js';
import { ApiError, badRequest, toApiError } from './errors.js';
import { FaultInjector } from './faults.js';
import { answerClientErrors, readBody, sendJson } from './http.js';
import { newRequestId } from './ids.js';
import type { KeyRing } from './keys.js';
import { verifyAcs3, type NonceCache, type SignedRequest } from './signature.js';
import { isSlsRequest, projectOfHost, slsErrorBody, verifySls, type LogService } from './sls.js';
import { handleSts, stsAction, stsErrorBody, type StsContext } from './sts.js';
import { FC_PREFIX, fcErrorBody, handleFc, type FcContext } from './fc.js';
import { DESCRIBE_TRACE_LICENSE_KEY, handleArms, type ArmsContext } from './arms.js';
import { handleOss, isOssRequest, ossAction, type OssContext } from './oss.js';

/** One line of the request log. */
export interface RequestLogEntry {
  time: string;
  action: string;
  method: string;
  path: string;
  /** HTTP status; 0 when the connection was reset by a fault. */
  status: number;
  requestId: string;
  /** The JSON body of a control-plane operation, its code package elided. */
  body?: unknown;
}

/** Everything the server dispatches to. */
export interface ServerContext extends ControlContext, AdminContext {
  keys: KeyRing;
  nonces: NonceCache;
  sts: StsContext;
  fc: FcContext;
  oss: OssContext;
  arms: ArmsContext;
  faults: FaultInjector;
  /** Simple Log Service, told apart from AgentRun and STS by its `x-log-apiversion` header. */
  logs: LogService;
  log: RequestLogEntry[];
  bodyLimit: number;
}

interface Outcome {
  action: string;
  status: number;
  body: unknown;
}

const REQUEST_FAULTS = ['throttle', 'server-error', 'unavailable', 'reset', 'slow'] as const;

/** Creates (does not start) the control-plane server. */
export function createControlServer(ctx: ServerContext): Server {
  const server = createServer((req, res) => {
    void handle(ctx, req, res);
  });
  answerClientErrors(server);
  return server;
}

async function handle(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newRequestId();
  const url = req.url ?? '/';
  const [path = '/', search = ''] = url.split(/\?(.*)/s);
  const method = req.method ?? 'GET';
  const isSts = path === '/';
  let action = headerOf(req, 'x-acs-action') ?? '';
  let slowMs = 0;
  let sent: unknown;
  let outcome: Outcome;
  if (path.startsWith('/__emulator/')) return admin(ctx, req, res, method, path);
  if (isSlsRequest(req.headers)) return sls(ctx, req, res, path, search);
  // OSS bodies are code packages: streamed to disk by the object store, never read whole here.
  if (isOssRequest(req)) return oss(ctx, req, res, method, path, requestId);
  const isFc = path.startsWith(FC_PREFIX);
  try {
    const body = await readBody(req, ctx.bodyLimit);
    const query = flatten(parseQuery(search));
    const signed: SignedRequest = { method, path, query, headers: req.headers, body };
    if (isFc) {
      action = 'GetTempBucketToken';
      slowMs = applyRequestFaults(ctx, action, req);
      outcome = { status: 200, ...handleFc(ctx.fc, req, method, path) };
    } else if (isSts) {
      const params = { ...query, ...formParams(req, body) };
      action = stsAction(params, action);
      slowMs = applyRequestFaults(ctx, action, req);
      // RPC operations share `/`: ARMS' licence key beside STS.
      const answer =
        action === DESCRIBE_TRACE_LICENSE_KEY
          ? handleArms(ctx.arms, params, signed, requestId)
          : handleSts(ctx.sts, action, params, signed);
      outcome = { action, status: 200, body: answer };
    } else {
      const call = matchRoute(method, path);
      if (!call) {
        throw new ApiError(
          404,
          'InvalidAction.NotFound',
          `Specified api is not found, please check your url and method: ${method} ${path}`,
        );
      }
      if (action !== '' && action !== call.action) {
        throw badRequest(`x-acs-action ${action} does not match ${method} ${path} (${call.action})`);
      }
      action = call.action;
      const version = headerOf(req, 'x-acs-version');
      if (version !== API_VERSION) {
        throw new ApiError(
          400,
          'InvalidVersion',
          `Specified version ${version ?? '(none)'} is not valid; use ${API_VERSION}`,
        );
      }
      verifyAcs3(signed, ctx.keys, ctx.nonces);
      slowMs = applyRequestFaults(ctx, action, req);
      sent = jsonBody(req, body, BODY_ACTIONS.has(call.action));
      const data = await handleControl(ctx, call, query, sent);
      outcome = { action, status: 200, body: { code: 'SUCCESS', requestId, data } };
    }
  } catch (error) {
    if (error === RESET) return record(ctx, action, method, path, 0, requestId);
    const apiError = toApiError(error);
    const body = isSts
      ? stsErrorBody(apiError, requestId)
      : isFc
        ? fcErrorBody(apiError)
        : { code: apiError.code, message: apiError.message, requestId };
    outcome = { action, status: apiError.status, body };
    // An unread body (e.g. over the limit) must not be parsed as the next request.
    if (!req.readableEnded) res.setHeader('connection', 'close');
  }
  if (slowMs > 0) await sleep(slowMs, undefined, { signal: ctx.shutdown }).catch(() => undefined);
  record(ctx, outcome.action, method, path, outcome.status, requestId, sent);
  sendJson(res, outcome.status, outcome.body, { [isFc ? 'x-fc-request-id' : 'x-acs-request-id']: requestId });
}

/** An OSS request, with the request faults (a part's upload can be throttled or reset too). */
async function oss(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
  requestId: string,
): Promise<void> {
  const action = ossAction(method, new URL(req.url ?? '/', 'http://oss').searchParams);
  let slowMs = 0;
  const status = await handleOss(ctx.oss, req, res, requestId, () => {
    slowMs = applyRequestFaults(ctx, action, req);
  }).catch((error: unknown) => {
    if (error === RESET) return 0;
    throw error;
  });
  if (slowMs > 0) await sleep(slowMs, undefined, { signal: ctx.shutdown }).catch(() => undefined);
  record(ctx, action, method, path, status, requestId);
}

const RESET = Symbol('connection reset');

/** An SLS request: its own error body and request-id header (`x-log-requestid`). */
async function sls(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  search: string,
): Promise<void> {
  const requestId = newRequestId();
  const method = req.method ?? 'GET';
  let action = 'SLS';
  let status = 200;
  let body: unknown;
  try {
    const raw = await readBody(req, ctx.bodyLimit);
    const query = flatten(parseQuery(search));
    verifySls({ method, path, query, headers: req.headers, body: raw }, ctx.keys);
    const json = raw.length ? (JSON.parse(raw.toString('utf8')) as unknown) : undefined;
    const call = { method, path, project: projectOfHost(req.headers.host), json };
    ({ action, body } = ctx.logs.handle(call));
  } catch (error) {
    const apiError = toApiError(error instanceof SyntaxError ? badRequest(error.message) : error);
    status = apiError.status;
    body = slsErrorBody(apiError);
  }
  record(ctx, action, method, path, status, requestId);
  if (body !== undefined) return sendJson(res, status, body, { 'x-log-requestid': requestId });
  res.writeHead(status, { 'content-length': '0', 'x-log-requestid': requestId }).end();
}

/** Admin routes: same error shape, but kept out of the request log they report on. */
async function admin(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  path: string,
): Promise<void> {
  try {
    const result = await handleAdmin(ctx, method, path, await readBody(req, ctx.bodyLimit));
    sendJson(res, result.status, result.body);
  } catch (error) {
    const apiError = toApiError(error);
    sendJson(res, apiError.status, {
      code: apiError.code,
      message: apiError.message,
      requestId: newRequestId(),
    });
  }
}

/** Applies request-time faults; returns how long to hold the response (slow fault) or throws. */
function applyRequestFaults(ctx: ServerContext, action: string, req: IncomingMessage): number {
  const rule = ctx.faults.take(action, REQUEST_FAULTS);
  switch (rule?.kind) {
    case 'throttle':
      throw new ApiError(429, 'Throttling', 'Request was denied due to request throttling.');
    case 'server-error':
      throw new ApiError(
        500,
        'ERR_INTERNAL_SERVER_ERROR',
        'The request processing has failed due to some unknown error.',
      );
    case 'unavailable':
      throw new ApiError(
        503,
        'ServiceUnavailable',
        'The request has failed due to a temporary failure of the server.',
      );
    case 'reset':
      req.socket.resetAndDestroy();
      throw RESET;
    case 'slow':
      return FaultInjector.slowDelay(rule);
    default:
      return 0;
  }
}

function record(
  ctx: ServerContext,
  action: string,
  method: string,
  path: string,
  status: number,
  requestId: string,
  body?: unknown,
): void {
  const entry: RequestLogEntry = { time: new Date().toISOString(), action, method, path, status, requestId };
  if (body !== undefined) entry.body = withoutPackage(body);
  ctx.log.push(entry);
}

/** A body as the log keeps it: an inline zip is replaced by its size, so the log stays small. */
function withoutPackage(body: unknown): unknown {
  const code = (body as { codeConfiguration?: { zipFile?: unknown } }).codeConfiguration;
  if (typeof code?.zipFile !== 'string') return body;
  const zipFile = `(${code.zipFile.length} base64 characters)`;
  return { ...(body as object), codeConfiguration: { ...code, zipFile } };
}

/** The JSON body of a body-taking operation: must be `application/json` and a JSON object. */
function jsonBody(req: IncomingMessage, body: Buffer, required: boolean): unknown {
  if (body.length === 0) {
    if (required) throw badRequest('The request body is required and must be a JSON object');
    return undefined;
  }
  const type = headerOf(req, 'content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(
      415,
      'ERR_BAD_REQUEST',
      `Content-Type must be application/json (got ${type || 'none'})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('The request body must be a JSON object');
  }
  return parsed;
}

/** Form-encoded RPC parameters from the body (STS clients send them this way). */
function formParams(req: IncomingMessage, body: Buffer): Record<string, string> {
  const type = headerOf(req, 'content-type') ?? '';
  return /^application\/x-www-form-urlencoded\b/i.test(type)
    ? flatten(parseQuery(body.toString('utf8')))
    : {};
}

function flatten(parsed: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
