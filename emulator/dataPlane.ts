/**
 * The data plane: serves each READY endpoint at
 *   http://127.0.0.1:<dataPort>/agent-runtimes/<runtimeName>/endpoints/<endpointName>/invocations[/<rest>]
 * — the path both official SDKs invoke, with no API version prefix (agentrun-sdk-nodejs
 * `src/agent-runtime/api/data.ts`, `src/utils/data-api.ts`) — choosing a version per request by the endpoint's weights and
 * proxying method, `<rest>` (default `/`), query, headers and body to that version's process.
 */
import {
  Agent,
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, Codes } from './errors.js';
import { answerClientErrors, sendJson } from './http.js';
import { newRequestId } from './ids.js';
import type { FaultInjector } from './faults.js';
import { instanceKey } from './lifecycle.js';
import type { ProcessManager } from './processes.js';
import { DEFAULT_WORKSPACE, type Routing, type Store } from './store.js';

const PATH =
  /^(?:\/workspaces\/([^/?]+))?\/agent-runtimes\/([^/?]+)\/endpoints\/([^/?]+)\/invocations(\/[^?]*)?(\?.*)?$/;

/** Response header naming the version that served a request (emulator-specific, for tests/demos). */
export const VERSION_HEADER = 'x-agentrun-emulator-version';

/**
 * The public URL of an endpoint on a data plane at `baseUrl`. The official SDKs address endpoints by
 * runtime and endpoint name; runtimes outside the default workspace, whose names another workspace may
 * repeat, get a `/workspaces/<id>` prefix (UNCONFIRMED how the service tells them apart).
 */
export function endpointUrl(
  baseUrl: string,
  runtimeName: string,
  endpointName: string,
  workspaceId: string = DEFAULT_WORKSPACE.id,
): string {
  const name = encodeURIComponent;
  const scope = workspaceId === DEFAULT_WORKSPACE.id ? '' : `/workspaces/${name(workspaceId)}`;
  return `${baseUrl}${scope}/agent-runtimes/${name(runtimeName)}/endpoints/${name(endpointName)}/invocations`;
}

/** Picks a version: each weighted version gets its weight, targetVersion the remaining 1 − Σweights. */
export function pickVersion(routing: Routing, random: () => number = Math.random): string {
  const roll = random();
  let cumulative = 0;
  for (const { version, weight } of routing.versionWeights) {
    cumulative += weight;
    if (roll < cumulative) return version;
  }
  return routing.targetVersion;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
]);

/** What the data plane reads. */
export interface DataPlaneContext {
  store: Store;
  processes: ProcessManager;
  faults: FaultInjector;
}

/** Creates (does not start) the data-plane server; `close` its returned agent on shutdown. */
export function createDataPlane(ctx: DataPlaneContext): { server: Server; agent: Agent } {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((req, res) => {
    serve(ctx, agent, req, res).catch((error: unknown) => {
      const apiError =
        error instanceof ApiError ? error : new ApiError(502, 'ERR_BAD_GATEWAY', String(error));
      sendJson(res, apiError.status, {
        code: apiError.code,
        message: apiError.message,
        requestId: newRequestId(),
      });
    });
  });
  answerClientErrors(server);
  return { server, agent };
}

async function serve(
  ctx: DataPlaneContext,
  agent: Agent,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const match = PATH.exec(req.url ?? '');
  if (!match) {
    throw new ApiError(
      404,
      Codes.notFound,
      `No endpoint at ${req.url}; endpoint URLs look like ${endpointUrl('', '<runtimeName>', '<endpointName>')}`,
    );
  }
  const [, rawWorkspace, rawRuntime = '', rawEndpoint = '', rest = '/', search = ''] = match;
  const workspaceId = rawWorkspace === undefined ? DEFAULT_WORKSPACE.id : decodeURIComponent(rawWorkspace);
  const runtimeName = decodeURIComponent(rawRuntime);
  const endpointName = decodeURIComponent(rawEndpoint);
  const runtime = ctx.store.runtimeByName(runtimeName, workspaceId);
  const endpoint = runtime && ctx.store.endpointsOf(runtime.id).find((e) => e.name === endpointName);
  if (!runtime || !endpoint?.serving) {
    throw new ApiError(
      404,
      Codes.notFound,
      `Endpoint ${endpointName} of AgentRuntime ${runtimeName} does not exist or is not READY`,
    );
  }
  if (endpoint.disablePublicNetworkAccess) {
    throw new ApiError(
      403,
      'ERR_FORBIDDEN',
      `Public network access is disabled for endpoint ${endpointName}`,
    );
  }
  const version = pickVersion(endpoint.serving);
  const fault = ctx.faults.dataPlane([runtime.id, runtime.config.agentRuntimeName], version);
  if (fault.latencyMs > 0) await sleep(fault.latencyMs);
  const key = instanceKey(runtime.id, version);
  if (fault.crash && ctx.processes.get(key)?.alive()) {
    await ctx.processes.crash(key);
    throw new ApiError(502, 'ERR_BAD_GATEWAY', `Version ${version} of ${runtimeName} crashed (injected)`);
  }
  if (fault.errorRate > 0 && Math.random() < fault.errorRate) {
    throw new ApiError(500, Codes.internal, `Injected data-plane fault for version ${version}`);
  }
  const instance = ctx.processes.get(key);
  if (!instance?.alive()) {
    const why =
      runtime.config.artifactType === 'Container' ? ' (the emulator does not run container images)' : '';
    throw new ApiError(502, 'ERR_BAD_GATEWAY', `Version ${version} of ${runtimeName} is not running${why}`);
  }
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
  const body = await readBody(req);
  const forward = { port: instance.port, method: req.method, path: `${rest}${search}`, headers, body };
  const response = await proxy(agent, forward).catch((error: unknown) => {
    // A kept-alive connection the agent closed just as it was reused: the request never reached the
    // agent, so sending it once more on a new connection is safe (Node's `reusedSocket` advice).
    if (!(error instanceof StaleConnectionError)) throw error;
    return proxy(agent, forward);
  });
  const out = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
  res.writeHead(response.statusCode ?? 502, { ...out, [VERSION_HEADER]: version });
  await pipeline(response, res);
}

/** The agent closed a kept-alive connection as it was reused; a 502 if it happens twice in a row. */
class StaleConnectionError extends ApiError {
  constructor() {
    super(502, 'ERR_BAD_GATEWAY', 'Agent process closed the connection');
  }
}

interface Forward {
  port: number;
  method: string | undefined;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Sends one request to an agent process and resolves with its response, body not yet read. */
function proxy(agent: Agent, forward: Forward): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const upstream = request(
      {
        host: '127.0.0.1',
        port: forward.port,
        method: forward.method,
        path: forward.path,
        headers: forward.headers,
        agent,
      },
      resolve,
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (upstream.reusedSocket && error.code === 'ECONNRESET') reject(new StaleConnectionError());
      else reject(new ApiError(502, 'ERR_BAD_GATEWAY', `Agent process failed: ${error.message}`));
    });
    upstream.end(forward.body);
  });
}

/** Requests to an agent are small prompts; holding one in memory lets a stale connection be retried. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
