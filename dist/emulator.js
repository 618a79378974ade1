import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  ARMS_VERSION,
  Crc64,
  DESCRIBE_TRACE_LICENSE_KEY,
  INDEX_TOKENS,
  LATEST,
  LogField,
  SERVICE,
  SlsCodes,
  SlsField,
  Status,
  TEMP_BUCKET_TOKEN_PATH,
  agentRuntime,
  agentRuntimeEndpoint,
  agentRuntimeVersion,
  contentMd5,
  crc64,
  createAgentRuntimeEndpointInput,
  createAgentRuntimeInput,
  createLogStoreInput,
  createProjectInput,
  createWorkspaceInput,
  external_exports,
  fcAuthorization,
  fcStringToSign,
  getLogsInput,
  indexInput,
  isEchoed,
  ossAuthorization,
  ossStringToSign,
  publishRuntimeVersionInput,
  require_yauzl,
  sign,
  stringToSign,
  updateAgentRuntimeEndpointInput,
  updateAgentRuntimeInput,
  workspace
} from "./chunks/chunk-WXINHZ73.js";
import "./chunks/chunk-XEYCVPWC.js";
import {
  __toESM
} from "./chunks/chunk-HANBNIMK.js";

// emulator/cli.ts
import { parseArgs } from "node:util";

// emulator/index.ts
import { mkdtemp, readFile, rm as rm3 } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join3 } from "node:path";

// emulator/dataPlane.ts
import {
  Agent,
  createServer,
  request
} from "node:http";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep2 } from "node:timers/promises";

// emulator/errors.ts
var ApiError = class extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
    this.name = "ApiError";
  }
  status;
  code;
};
var Codes = {
  badRequest: "ERR_BAD_REQUEST",
  validation: "ERR_VALIDATION_FAILED",
  notFound: "ERR_NOT_FOUND",
  conflict: "ERR_CONFLICT",
  alreadyExists: "ERR_ALREADY_EXISTS",
  internal: "ERR_INTERNAL_SERVER_ERROR"
};
var badRequest = (message) => new ApiError(400, Codes.badRequest, message);
var invalid = (message) => new ApiError(400, Codes.validation, message);
var notFound = (message) => new ApiError(404, Codes.notFound, message);
var conflict = (message) => new ApiError(409, Codes.conflict, message);
var alreadyExists = (message) => new ApiError(409, Codes.alreadyExists, message);
function toApiError(error) {
  if (error instanceof ApiError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiError(500, Codes.internal, `Internal error in the emulator: ${detail}`);
}

// emulator/ids.ts
import { randomUUID } from "node:crypto";
function newRequestId() {
  return randomUUID().toUpperCase();
}
function isoSeconds(epochMs = Date.now()) {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}

// emulator/http.ts
async function readBody(req, limit) {
  const tooLarge = () => new ApiError(413, "RequestEntityTooLarge", `The request body exceeds the limit of ${limit} bytes.`);
  if (Number(req.headers["content-length"] ?? 0) > limit) throw tooLarge();
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
function sendJson(res, status, body, headers = {}) {
  if (res.headersSent || res.destroyed) return;
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    "content-type": "application/json;charset=utf-8",
    "content-length": String(data.length),
    ...headers
  });
  res.end(data);
}
function answerClientErrors(server) {
  server.on("clientError", (error, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({
      code: "ERR_BAD_REQUEST",
      message: `Malformed HTTP request: ${error.code ?? error.message}`,
      requestId: newRequestId()
    });
    socket.end(
      `HTTP/1.1 400 Bad Request\r
content-type: application/json;charset=utf-8\r
content-length: ${Buffer.byteLength(body)}\r
connection: close\r
\r
${body}`
    );
  });
}

// emulator/lifecycle.ts
import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";

// emulator/requests.ts
var BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
var { limits } = SERVICE;
function limitProblems(input) {
  const problems = [];
  const check = (field, ok, expected) => {
    const value = input[field];
    if (value !== void 0 && !ok(value)) problems.push([field, `expected ${expected}`]);
  };
  for (const field of ["agentRuntimeName", "agentRuntimeEndpointName"]) {
    check(
      field,
      (v) => typeof v === "string" && limits[field].test(v),
      `a name matching ${limits[field].source}`
    );
  }
  for (const field of [
    "cpu",
    "memory",
    "port",
    "sessionConcurrencyLimitPerInstance",
    "sessionIdleTimeoutSeconds"
  ]) {
    const { min, max } = limits[field];
    check(field, (v) => typeof v === "number" && v >= min && v <= max, `a number from ${min} to ${max}`);
  }
  check(
    "description",
    (v) => typeof v === "string" && v.length <= limits.description.maxLength,
    `at most ${limits.description.maxLength} characters`
  );
  return problems;
}
function codeProblems(code) {
  if (!code) return [];
  const problems = [];
  if (code.zipFile !== void 0 && !BASE64.test(code.zipFile)) {
    problems.push(["codeConfiguration.zipFile", "must be base64"]);
  }
  if (code.checksum !== void 0 && !/^\d{1,20}$/.test(code.checksum)) {
    problems.push(["codeConfiguration.checksum", "must be the CRC-64 as a decimal string"]);
  }
  if (code.zipFile !== void 0 && code.ossBucketName !== void 0) {
    problems.push(["codeConfiguration", "give either zipFile or ossBucketName + ossObjectName, not both"]);
  }
  if (code.ossBucketName === void 0 !== (code.ossObjectName === void 0)) {
    problems.push(["codeConfiguration", "ossBucketName and ossObjectName go together"]);
  }
  return problems;
}
function weightProblems(routing) {
  return (routing?.versionWeights ?? []).flatMap((entry, i) => {
    const path = `routingConfiguration.versionWeights.${i}`;
    const { min, max } = SERVICE.weights;
    if (!entry.version) return [[`${path}.version`, "expected a version"]];
    if (entry.weight === void 0 || entry.weight < min || entry.weight > max) {
      return [[`${path}.weight`, `expected a number from ${min} to ${max}`]];
    }
    return [];
  });
}
function parseCreateRuntime(body) {
  const input = { ...SERVICE.defaults, ...parse(createAgentRuntimeInput, body) };
  const problems = [...limitProblems(input), ...codeProblems(input.codeConfiguration)];
  if (input.artifactType === "Code" && !input.codeConfiguration?.zipFile && !input.codeConfiguration?.ossBucketName) {
    problems.push(["codeConfiguration", "give the code package: zipFile, or ossBucketName + ossObjectName"]);
  }
  return rejectIf(problems, input);
}
function parseUpdateRuntime(body) {
  const input = parse(updateAgentRuntimeInput, body);
  return rejectIf([...limitProblems(input), ...codeProblems(input.codeConfiguration)], input);
}
function parseCreateEndpoint(body) {
  const input = parse(createAgentRuntimeEndpointInput, body);
  const problems = [...limitProblems(input), ...weightProblems(input.routingConfiguration)];
  if (SERVICE.endpointNeedsName && input.agentRuntimeEndpointName === void 0) {
    problems.push(["agentRuntimeEndpointName", "expected the endpoint name"]);
  }
  return rejectIf(problems, input);
}
function parseUpdateEndpoint(body) {
  const input = parse(updateAgentRuntimeEndpointInput, body);
  return rejectIf([...limitProblems(input), ...weightProblems(input.routingConfiguration)], input);
}
function parsePublish(body) {
  const input = parse(publishRuntimeVersionInput, body ?? {});
  return rejectIf(limitProblems(input), input);
}
function rejectIf(problems, input) {
  if (problems.length === 0) return input;
  throw invalid(`Invalid request: ${problems.map(([path, problem]) => `${path}: ${problem}`).join("; ")}`);
}
function parse(schema, input) {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const messages = result.error.issues.slice(0, 5).map((issue2) => {
    const where = issue2.path.length > 0 ? issue2.path.join(".") : "body";
    const got = "input" in issue2 && issue2.input !== void 0 ? ` (got ${preview(issue2.input)})` : "";
    return `${where}: ${issue2.message}${got}`;
  });
  throw invalid(`Invalid request: ${messages.join("; ")}`);
}
function preview(value) {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// emulator/lifecycle.ts
import { randomBytes } from "node:crypto";

// emulator/store.ts
import { readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { setImmediate as nextTurn } from "node:timers/promises";
function routingOf(endpoint) {
  return {
    targetVersion: endpoint.targetVersion,
    versionWeights: (endpoint.routingConfiguration?.versionWeights ?? []).map((w) => ({
      version: w.version ?? "",
      weight: w.weight ?? 0
    }))
  };
}
var DEFAULT_WORKSPACE = {
  id: "ws-default",
  name: "default",
  description: "Default workspace",
  isDefault: true
};
var Store = class {
  constructor(file) {
    this.file = file;
    this.addDefaultWorkspace();
  }
  file;
  runtimes = /* @__PURE__ */ new Map();
  endpoints = /* @__PURE__ */ new Map();
  workspaces = /* @__PURE__ */ new Map();
  writing;
  dirty = false;
  addDefaultWorkspace() {
    this.workspaces.set(DEFAULT_WORKSPACE.id, { ...DEFAULT_WORKSPACE, createdAt: (/* @__PURE__ */ new Date()).toISOString() });
  }
  /** Loads the state file if there is one; a missing file is an empty state. */
  load() {
    if (this.file === void 0) return;
    let text;
    try {
      text = readFileSync(this.file, "utf8");
    } catch (error) {
      if (error.code === "ENOENT") return;
      throw error;
    }
    const snapshot = JSON.parse(text);
    for (const runtime of snapshot.runtimes) this.runtimes.set(runtime.id, runtime);
    for (const endpoint of snapshot.endpoints) this.endpoints.set(endpoint.id, endpoint);
    for (const workspace2 of snapshot.workspaces ?? []) this.workspaces.set(workspace2.id, workspace2);
  }
  /**
   * Persists after a change (no-op without a state file). The state holds every version's package, so
   * writes are asynchronous and coalesced: at most one in flight, and the last state always lands.
   */
  save() {
    if (this.file === void 0) return;
    this.dirty = true;
    this.writing ??= this.writeOut(this.file);
  }
  /** Resolves once every change saved so far is on disk. */
  async flush() {
    await this.writing;
  }
  async writeOut(file) {
    await nextTurn();
    while (this.dirty) {
      this.dirty = false;
      const snapshot = {
        runtimes: [...this.runtimes.values()],
        endpoints: [...this.endpoints.values()],
        workspaces: [...this.workspaces.values()]
      };
      const temp = `${file}.tmp`;
      try {
        await writeFile(temp, JSON.stringify(snapshot));
        await rename(temp, file);
      } catch (error) {
        console.error(`agentrun-emulator: cannot write the state file ${file}: ${error.message}`);
      }
    }
    this.writing = void 0;
  }
  clear() {
    this.runtimes.clear();
    this.endpoints.clear();
    this.workspaces.clear();
    this.addDefaultWorkspace();
    this.save();
  }
  /** The runtime named so in the workspace: names are unique per workspace (SERVICE.workspaces). */
  runtimeByName(name, workspaceId) {
    return [...this.runtimes.values()].find(
      (r) => r.config.agentRuntimeName === name && workspaceOf(r) === workspaceId
    );
  }
  endpointsOf(runtimeId) {
    return [...this.endpoints.values()].filter((e) => e.runtimeId === runtimeId);
  }
  /** The configuration of `version` (`LATEST` or a published number), if it exists. */
  configOf(runtime, version) {
    if (version === LATEST) return runtime.config;
    return runtime.versions.find((v) => v.version === version)?.config;
  }
};
function workspaceOf(runtime) {
  return runtime.config.workspaceId ?? DEFAULT_WORKSPACE.id;
}

// emulator/lifecycle.ts
var instanceKey = (runtimeId, version) => `${runtimeId}@${version}`;
function versionsOf(routing) {
  return [routing.targetVersion, ...routing.versionWeights.map((w) => w.version)];
}
var Lifecycle = class {
  constructor(options) {
    this.options = options;
    setMaxListeners(0, this.abort.signal);
  }
  options;
  abort = new AbortController();
  tasks = /* @__PURE__ */ new Set();
  createRuntime(runtime, forcedFailure) {
    this.runRuntime(runtime, Status.creating, Status.createFailed, forcedFailure);
  }
  updateRuntime(runtime, config, forcedFailure) {
    runtime.config = config;
    this.runRuntime(runtime, Status.updating, Status.updateFailed, forcedFailure);
  }
  deleteRuntime(runtime, forcedFailure) {
    const { store, processes } = this.options;
    this.setStatus(runtime, Status.deleting, "");
    this.schedule(async () => {
      if (forcedFailure !== void 0) return this.setStatus(runtime, Status.deleteFailed, forcedFailure);
      await processes.stopPrefix(instanceKey(runtime.id, ""));
      store.runtimes.delete(runtime.id);
      store.save();
    }, this.options.delayMs);
  }
  createEndpoint(endpoint, forcedFailure) {
    this.runEndpoint(endpoint, Status.creating, Status.createFailed, forcedFailure);
  }
  updateEndpoint(endpoint, forcedFailure) {
    this.runEndpoint(endpoint, Status.updating, Status.updateFailed, forcedFailure);
  }
  deleteEndpoint(endpoint, forcedFailure) {
    const { store } = this.options;
    this.setStatus(endpoint, Status.deleting, "");
    this.schedule(async () => {
      if (forcedFailure !== void 0) return this.setStatus(endpoint, Status.deleteFailed, forcedFailure);
      store.endpoints.delete(endpoint.id);
      store.save();
      await this.prune(endpoint.runtimeId);
    }, this.options.delayMs);
  }
  /**
   * After loading a state file: brings every runtime and endpoint that was READY or on its way back up
   * (restarting its processes) and finishes interrupted deletes.
   */
  restore() {
    const { store } = this.options;
    for (const runtime of store.runtimes.values()) {
      if (runtime.status === Status.deleting) this.deleteRuntime(runtime);
      else if (runtime.status === Status.ready || runtime.status === Status.creating) {
        this.runRuntime(
          runtime,
          runtime.status === Status.ready ? Status.ready : Status.creating,
          Status.createFailed
        );
      } else if (runtime.status === Status.updating)
        this.runRuntime(runtime, Status.updating, Status.updateFailed);
    }
    for (const endpoint of store.endpoints.values()) {
      if (endpoint.status === Status.deleting) this.deleteEndpoint(endpoint);
      else if (endpoint.status !== Status.createFailed && endpoint.status !== Status.updateFailed) {
        this.runEndpoint(endpoint, endpoint.status, Status.updateFailed);
      }
    }
  }
  /** Cancels pending transitions and waits for running ones to notice. */
  async stop() {
    this.abort.abort();
    await Promise.allSettled([...this.tasks]);
  }
  runRuntime(runtime, busy, failed, forcedFailure) {
    this.setStatus(runtime, busy, "");
    this.schedule(
      async () => {
        if (forcedFailure !== void 0) return this.setStatus(runtime, failed, forcedFailure);
        try {
          await this.startVersion(runtime, LATEST, runtime.config, LATEST);
        } catch (error) {
          return this.setStatus(runtime, failed, error.message);
        }
        if (!this.current(runtime)) return this.options.processes.stopPrefix(instanceKey(runtime.id, ""));
        this.setStatus(runtime, Status.ready, "");
      },
      busy === Status.ready ? 0 : this.options.delayMs
    );
  }
  runEndpoint(endpoint, busy, failed, forcedFailure) {
    const { store } = this.options;
    this.setStatus(endpoint, busy, "");
    this.schedule(
      async () => {
        if (forcedFailure !== void 0) return this.setStatus(endpoint, failed, forcedFailure);
        const runtime = store.runtimes.get(endpoint.runtimeId);
        if (!runtime) return this.setStatus(endpoint, failed, "the runtime no longer exists");
        const routing = routingOf(endpoint);
        try {
          for (const version of versionsOf(routing))
            await this.ensureInstance(runtime, version, endpoint.name);
        } catch (error) {
          return this.setStatus(endpoint, failed, error.message);
        }
        if (store.endpoints.get(endpoint.id) !== endpoint) return;
        endpoint.serving = routing;
        endpoint.endpointPublicUrl = this.options.endpointUrl(runtime, endpoint);
        this.setStatus(endpoint, Status.ready, "");
        await this.prune(runtime.id);
      },
      busy === Status.ready ? 0 : this.options.delayMs
    );
  }
  /**
   * Starts `version` of `runtime` unless it is already running (LATEST waits for its own transition);
   * `endpoint` is the one it starts for, which its log lines name.
   */
  async ensureInstance(runtime, version, endpoint) {
    const running = this.options.processes.get(instanceKey(runtime.id, version));
    if (running?.alive()) return;
    const config = this.options.store.configOf(runtime, version);
    if (!config) throw new Error(`version ${version} does not exist`);
    await this.startVersion(runtime, version, config, endpoint);
  }
  async startVersion(runtime, version, config, endpoint) {
    const code = config.codeConfiguration;
    if (config.artifactType === "Container" || !code) return;
    const [program, ...args] = code.command ?? [];
    if (program === void 0) {
      throw new Error("codeConfiguration.command is empty: nothing says how to start the code");
    }
    if (!this.options.startProcesses) return;
    await this.options.processes.start({
      key: instanceKey(runtime.id, version),
      zip: codeSource(code, this.options.objects),
      command: [program, ...args],
      environmentVariables: config.environmentVariables ?? {},
      healthPath: config.healthCheckConfiguration?.httpGetUrl ?? "/health",
      runtimePort: config.port,
      onLine: this.logSink(runtime, version, config, endpoint)
    });
  }
  /** Where one instance's lines go: the version's logstore, tagged as the platform tags them. */
  logSink(runtime, version, config, endpoint) {
    const target = config.logConfiguration;
    if (!target?.project || !target.logstore) return void 0;
    const { project, logstore } = target;
    const instance = `c-${randomBytes(8).toString("hex")}`;
    const tags = { runtime: runtime.config.agentRuntimeName, version, endpoint, instance };
    return (message) => {
      if (message.trim() !== "") this.options.logs.append(project, logstore, { ...tags, message });
    };
  }
  /** Stops published versions no endpoint routes to any more (LATEST runs while the runtime exists). */
  async prune(runtimeId) {
    const { store, processes } = this.options;
    const used = new Set(
      store.endpointsOf(runtimeId).flatMap((e) => [...e.serving ? versionsOf(e.serving) : [], ...versionsOf(routingOf(e))])
    );
    used.add(LATEST);
    const prefix = instanceKey(runtimeId, "");
    const stale = processes.list().filter((i) => i.key.startsWith(prefix) && !used.has(i.key.slice(prefix.length)));
    await Promise.all(stale.map((i) => processes.stop(i.key)));
  }
  current(runtime) {
    return this.options.store.runtimes.get(runtime.id) === runtime;
  }
  setStatus(record2, status, reason) {
    record2.status = status;
    record2.statusReason = reason;
    record2.lastUpdatedAt = isoSeconds();
    this.options.store.save();
  }
  schedule(task, delayMs) {
    const run = (async () => {
      try {
        await sleep(delayMs, void 0, { signal: this.abort.signal });
        await task();
      } catch (error) {
        if (!this.abort.signal.aborted) throw error;
      }
    })();
    this.tasks.add(run);
    run.then(
      () => this.tasks.delete(run),
      (error) => {
        this.tasks.delete(run);
        console.error("agentrun-emulator: transition failed:", error);
      }
    );
  }
};
function codeSource(code, objects) {
  if (code.zipFile !== void 0) return Buffer.from(code.zipFile, "base64");
  return objects.file(code.ossBucketName ?? "", code.ossObjectName ?? "");
}

// emulator/dataPlane.ts
var PATH = /^(?:\/workspaces\/([^/?]+))?\/agent-runtimes\/([^/?]+)\/endpoints\/([^/?]+)\/invocations(\/[^?]*)?(\?.*)?$/;
var VERSION_HEADER = "x-agentrun-emulator-version";
function endpointUrl(baseUrl, runtimeName, endpointName, workspaceId = DEFAULT_WORKSPACE.id) {
  const name = encodeURIComponent;
  const scope = workspaceId === DEFAULT_WORKSPACE.id ? "" : `/workspaces/${name(workspaceId)}`;
  return `${baseUrl}${scope}/agent-runtimes/${name(runtimeName)}/endpoints/${name(endpointName)}/invocations`;
}
function pickVersion(routing, random = Math.random) {
  const roll = random();
  let cumulative = 0;
  for (const { version, weight } of routing.versionWeights) {
    cumulative += weight;
    if (roll < cumulative) return version;
  }
  return routing.targetVersion;
}
var HOP_BY_HOP = /* @__PURE__ */ new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "host"
]);
function createDataPlane(ctx) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((req, res) => {
    serve(ctx, agent, req, res).catch((error) => {
      const apiError = error instanceof ApiError ? error : new ApiError(502, "ERR_BAD_GATEWAY", String(error));
      sendJson(res, apiError.status, {
        code: apiError.code,
        message: apiError.message,
        requestId: newRequestId()
      });
    });
  });
  answerClientErrors(server);
  return { server, agent };
}
async function serve(ctx, agent, req, res) {
  const match = PATH.exec(req.url ?? "");
  if (!match) {
    throw new ApiError(
      404,
      Codes.notFound,
      `No endpoint at ${req.url}; endpoint URLs look like ${endpointUrl("", "<runtimeName>", "<endpointName>")}`
    );
  }
  const [, rawWorkspace, rawRuntime = "", rawEndpoint = "", rest = "/", search = ""] = match;
  const workspaceId = rawWorkspace === void 0 ? DEFAULT_WORKSPACE.id : decodeURIComponent(rawWorkspace);
  const runtimeName = decodeURIComponent(rawRuntime);
  const endpointName = decodeURIComponent(rawEndpoint);
  const runtime = ctx.store.runtimeByName(runtimeName, workspaceId);
  const endpoint = runtime && ctx.store.endpointsOf(runtime.id).find((e) => e.name === endpointName);
  if (!runtime || !endpoint?.serving) {
    throw new ApiError(
      404,
      Codes.notFound,
      `Endpoint ${endpointName} of AgentRuntime ${runtimeName} does not exist or is not READY`
    );
  }
  if (endpoint.disablePublicNetworkAccess) {
    throw new ApiError(
      403,
      "ERR_FORBIDDEN",
      `Public network access is disabled for endpoint ${endpointName}`
    );
  }
  const version = pickVersion(endpoint.serving);
  const fault = ctx.faults.dataPlane([runtime.id, runtime.config.agentRuntimeName], version);
  if (fault.latencyMs > 0) await sleep2(fault.latencyMs);
  const key = instanceKey(runtime.id, version);
  if (fault.crash && ctx.processes.get(key)?.alive()) {
    await ctx.processes.crash(key);
    throw new ApiError(502, "ERR_BAD_GATEWAY", `Version ${version} of ${runtimeName} crashed (injected)`);
  }
  if (fault.errorRate > 0 && Math.random() < fault.errorRate) {
    throw new ApiError(500, Codes.internal, `Injected data-plane fault for version ${version}`);
  }
  const instance = ctx.processes.get(key);
  if (!instance?.alive()) {
    const why = runtime.config.artifactType === "Container" ? " (the emulator does not run container images)" : "";
    throw new ApiError(502, "ERR_BAD_GATEWAY", `Version ${version} of ${runtimeName} is not running${why}`);
  }
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
  const body = await readBody2(req);
  const forward = { port: instance.port, method: req.method, path: `${rest}${search}`, headers, body };
  const response = await proxy(agent, forward).catch((error) => {
    if (!(error instanceof StaleConnectionError)) throw error;
    return proxy(agent, forward);
  });
  const out = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
  res.writeHead(response.statusCode ?? 502, { ...out, [VERSION_HEADER]: version });
  await pipeline(response, res);
}
var StaleConnectionError = class extends ApiError {
  constructor() {
    super(502, "ERR_BAD_GATEWAY", "Agent process closed the connection");
  }
};
function proxy(agent, forward) {
  return new Promise((resolve2, reject) => {
    const upstream = request(
      {
        host: "127.0.0.1",
        port: forward.port,
        method: forward.method,
        path: forward.path,
        headers: forward.headers,
        agent
      },
      resolve2
    );
    upstream.on("error", (error) => {
      if (upstream.reusedSocket && error.code === "ECONNRESET") reject(new StaleConnectionError());
      else reject(new ApiError(502, "ERR_BAD_GATEWAY", `Agent process failed: ${error.message}`));
    });
    upstream.end(forward.body);
  });
}
async function readBody2(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

// emulator/faults.ts
var ControlFaultKind = {
  /** HTTP 429 `Throttling`. */
  throttle: "throttle",
  /** HTTP 500 `ERR_INTERNAL_SERVER_ERROR`. */
  serverError: "server-error",
  /** HTTP 503 `ServiceUnavailable`. */
  unavailable: "unavailable",
  /** The TCP connection is reset before the request is handled. */
  reset: "reset",
  /** The request is handled, but the response is held back `delayMs` (default: past a 60 s read timeout). */
  slow: "slow",
  /** The request succeeds, but the transition it starts ends in `*_FAILED` with `message` as the reason. */
  failTransition: "fail-transition"
};
var controlRule = external_exports.object({
  action: external_exports.string().min(1),
  kind: external_exports.enum(ControlFaultKind),
  times: external_exports.number().int().min(1).optional(),
  probability: external_exports.number().min(0).max(1).optional(),
  delayMs: external_exports.number().int().min(0).optional(),
  message: external_exports.string().optional()
});
var dataRule = external_exports.object({
  kind: external_exports.literal("data-plane"),
  runtime: external_exports.string().min(1),
  version: external_exports.string().min(1).optional(),
  errorRate: external_exports.number().min(0).max(1).optional(),
  latencyMs: external_exports.number().int().min(0).optional(),
  crashAfter: external_exports.number().int().min(0).optional()
});
var faultRule = external_exports.union([dataRule, controlRule]);
function parseFaultRules(input) {
  const parsed = parse(external_exports.union([faultRule, external_exports.array(faultRule)]), input);
  return Array.isArray(parsed) ? parsed : [parsed];
}
var DEFAULT_SLOW_MS = 65e3;
var FaultInjector = class {
  constructor(random = Math.random) {
    this.random = random;
  }
  random;
  control = [];
  data = [];
  /** Requests each crash rule has let through. */
  served = /* @__PURE__ */ new Map();
  /** Adds a rule (validated; throws a 400-style error on a malformed one). */
  inject(rule) {
    for (const parsed of parseFaultRules(rule)) {
      if (parsed.kind === "data-plane") this.data.push(parsed);
      else {
        const remaining = parsed.times ?? (parsed.probability === void 0 ? 1 : Infinity);
        this.control.push({ rule: parsed, remaining });
      }
    }
  }
  clear() {
    this.control = [];
    this.data = [];
    this.served.clear();
  }
  /** The rules still armed, for the admin API. */
  list() {
    const control = this.control.map(({ rule, remaining }) => ({
      ...rule,
      times: Number.isFinite(remaining) ? remaining : void 0
    }));
    return [...control, ...this.data];
  }
  /** Consumes and returns the first armed rule of one of `kinds` that fires for `action`. */
  take(action, kinds) {
    for (const armed of this.control) {
      const { rule } = armed;
      if (armed.remaining <= 0 || !kinds.includes(rule.kind) || rule.action !== "*" && rule.action !== action) {
        continue;
      }
      if (rule.probability !== void 0 && this.random() >= rule.probability) continue;
      armed.remaining--;
      this.control = this.control.filter((a) => a.remaining > 0);
      return rule;
    }
    return void 0;
  }
  /** How long a slow fault holds the response. */
  static slowDelay(rule) {
    return rule.delayMs ?? DEFAULT_SLOW_MS;
  }
  /**
   * What the data plane does to one request for a runtime version: the combined error rate and added
   * latency, and whether the request crashes the version (counting it against every crash rule).
   */
  dataPlane(runtimeIds, version) {
    const fault = { errorRate: 0, latencyMs: 0, crash: false };
    for (const rule of this.data) {
      if (!runtimeIds.includes(rule.runtime) || rule.version !== void 0 && rule.version !== version)
        continue;
      fault.errorRate = Math.max(fault.errorRate, rule.errorRate ?? 0);
      fault.latencyMs += rule.latencyMs ?? 0;
      if (rule.crashAfter !== void 0) {
        const served = this.served.get(rule) ?? 0;
        this.served.set(rule, served + 1);
        fault.crash ||= served >= rule.crashAfter;
      }
    }
    return fault;
  }
};

// emulator/keys.ts
import { randomBytes as randomBytes2 } from "node:crypto";
var DEMO_KEY = {
  accessKeyId: "emulator-demo-key",
  accessKeySecret: "emulator-demo-secret-not-for-real-use"
};
var KeyRing = class {
  keys = /* @__PURE__ */ new Map();
  constructor(staticKeys) {
    for (const key of staticKeys) this.keys.set(key.accessKeyId, key);
  }
  /** Issues an `STS.`-prefixed temporary key valid for `ttlMs`. */
  issue(ttlMs) {
    const key = {
      accessKeyId: `STS.${randomBytes2(14).toString("base64url")}`,
      accessKeySecret: randomBytes2(24).toString("base64url"),
      securityToken: `CAIS${randomBytes2(96).toString("base64")}`,
      expiresAt: Date.now() + ttlMs
    };
    this.keys.set(key.accessKeyId, key);
    return key;
  }
  /**
   * The key a request claims, checked the way the gateway does before it looks at the signature:
   * unknown id, missing/mismatched STS token and expiry each have their own Alibaba Cloud error code.
   * A long-lived key takes no token at all: one sent with it matches no STS session.
   */
  resolve(accessKeyId, securityToken) {
    const key = this.keys.get(accessKeyId);
    if (!key) throw new ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    if (key.securityToken === void 0) {
      if (securityToken) throw tokenMismatch();
      return key;
    }
    if (!securityToken) {
      throw new ApiError(400, "MissingSecurityToken", "SecurityToken is mandatory for this action.");
    }
    if (securityToken !== key.securityToken) throw tokenMismatch();
    if (key.expiresAt !== void 0 && Date.now() >= key.expiresAt) {
      throw new ApiError(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.");
    }
    return key;
  }
};
function tokenMismatch() {
  return new ApiError(
    400,
    "InvalidSecurityToken.MismatchWithAccessKey",
    "Specified SecurityToken mismatch with the AccessKey."
  );
}

// emulator/processes.ts
import { spawn } from "node:child_process";
import { mkdir as mkdir2, rm } from "node:fs/promises";
import { createServer as createServer2, request as request2 } from "node:http";
import { join } from "node:path";
import { setTimeout as sleep3 } from "node:timers/promises";

// emulator/unzip.ts
var import_yauzl = __toESM(require_yauzl(), 1);
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { pipeline as pipeline2 } from "node:stream/promises";
var MAX_ENTRIES = 2e4;
var MAX_TOTAL_BYTES = 1024 * 1024 * 1024;
async function checkZip(zip) {
  await forEachEntry(zip, () => Promise.resolve());
}
async function unzipTo(zip, dest) {
  const root = resolve(dest);
  await forEachEntry(zip, async (zipfile, entry, name) => {
    const target = resolve(root, name);
    if (!inside(root, target)) throw new Error(`entry "${name}" escapes the code directory`);
    if (name.endsWith("/")) {
      await mkdir(target, { recursive: true });
      return;
    }
    await mkdir(dirname(target), { recursive: true });
    const unixMode = entry.externalFileAttributes >>> 16 & 511;
    const mode = unixMode & 73 ? 493 : 420;
    await pipeline2(await zipfile.openReadStreamPromise(entry), createWriteStream(target, { mode }));
  });
}
async function forEachEntry(zip, handle2) {
  const options = { lazyEntries: true, decodeStrings: false };
  const zipfile = await (typeof zip === "string" ? import_yauzl.default.openPromise(zip, options) : import_yauzl.default.fromBufferPromise(zip, options)).catch((error) => {
    throw new Error(`not a zip archive (${error.message})`);
  });
  let entries = 0;
  let total = 0;
  try {
    for (let entry = await nextEntry(zipfile); entry !== null; entry = await nextEntry(zipfile)) {
      const name = import_yauzl.default.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        true
      );
      checkName(name);
      if (++entries > MAX_ENTRIES) throw new Error(`more than ${MAX_ENTRIES} entries`);
      total += entry.uncompressedSize;
      if (total > MAX_TOTAL_BYTES) throw new Error(`expands to more than ${MAX_TOTAL_BYTES} bytes`);
      await handle2(zipfile, entry, name);
    }
  } finally {
    zipfile.close();
  }
}
function checkName(name) {
  if (name.includes("\\")) throw new Error(`entry "${name}" contains a backslash; use / as the separator`);
  if (isAbsolute(name) || /^[a-zA-Z]:/.test(name) || name.split("/").includes("..")) {
    throw new Error(`entry "${name}" escapes the code directory`);
  }
}
function inside(root, target) {
  const rel = relative(root, target);
  return rel !== "" && rel.split(sep)[0] !== ".." && !isAbsolute(rel);
}
function nextEntry(zipfile) {
  return new Promise((resolvePromise, reject) => {
    const cleanup = () => {
      zipfile.off("entry", onEntry);
      zipfile.off("end", onEnd);
      zipfile.off("error", onError);
    };
    const onEntry = (entry) => (cleanup(), resolvePromise(entry));
    const onEnd = () => (cleanup(), resolvePromise(null));
    const onError = (error) => (cleanup(), reject(error));
    zipfile.on("entry", onEntry);
    zipfile.on("end", onEnd);
    zipfile.on("error", onError);
    zipfile.readEntry();
  });
}

// emulator/processes.ts
var CODE_ROOT = /(^|[\s:=,;"'])\/code(?=$|[/\s:,;"'])/g;
var STDERR_LINES = 20;
var STOP_GRACE_MS = 2e3;
var ProcessManager = class {
  constructor(workDir, startTimeoutMs, runtimePorts = false) {
    this.workDir = workDir;
    this.startTimeoutMs = startTimeoutMs;
    this.runtimePorts = runtimePorts;
  }
  workDir;
  startTimeoutMs;
  runtimePorts;
  running = /* @__PURE__ */ new Map();
  starting = /* @__PURE__ */ new Set();
  sequence = 0;
  closed = false;
  get(key) {
    return this.running.get(key);
  }
  /** Every running instance. */
  list() {
    return [...this.running.values()];
  }
  /**
   * Starts `spec` and, once healthy, makes it the instance for its key (stopping the one it replaces).
   * Rejects with a message ending in the process's last stderr lines if it exits or never gets healthy.
   */
  async start(spec) {
    if (this.closed) throw new Error("the emulator is stopping");
    const dir = join(this.workDir, `${spec.key.replace(/[^\w.-]/g, "_")}-${++this.sequence}`);
    await mkdir2(dir, { recursive: true });
    try {
      await unzipTo(spec.zip, dir);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`invalid code package: ${error.message}`);
    }
    const port = this.runtimePorts && await portIsFree(spec.runtimePort) ? spec.runtimePort : await freePort();
    if (this.closed) throw new Error("the emulator is stopping");
    const toDir = (value) => value.replace(CODE_ROOT, `$1${dir}`);
    const env = agentEnv(spec.environmentVariables, toDir, port);
    const [command, ...args] = spec.command.map(toDir);
    const child = spawn(command, args, { cwd: dir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const stderr = [];
    const stderrRead = new Promise((resolveRead) => {
      if (child.stderr) child.stderr.once("close", () => resolveRead());
      else resolveRead();
    });
    const onLine = spec.onLine ?? (() => void 0);
    if (child.stdout) eachLine(child.stdout, onLine);
    if (child.stderr) {
      eachLine(child.stderr, (line) => {
        onLine(line);
        if (line.trim() === "") return;
        stderr.push(line);
        stderr.splice(0, Math.max(0, stderr.length - STDERR_LINES));
      });
    }
    let exitInfo;
    const exited = new Promise((resolveExit) => {
      child.once("error", (error) => {
        exitInfo = `failed to start ${command}: ${error.message}`;
        resolveExit();
      });
      child.once("exit", (code, signal) => {
        exitInfo ??= `process exited with ${signal ?? `code ${code}`}`;
        resolveExit();
      });
    });
    const instance = {
      key: spec.key,
      pid: child.pid ?? -1,
      port,
      dir,
      child,
      exited,
      alive: () => exitInfo === void 0
    };
    this.starting.add(instance);
    try {
      const healthy = await waitHealthy(port, spec.healthPath, exited, this.startTimeoutMs);
      if (!healthy || !instance.alive()) {
        const why = exitInfo ?? this.unhealthy(spec, port);
        await this.kill(instance);
        await stderrRead;
        const tail = stderr.length > 0 ? `; stderr: ${stderr.join("\n")}` : "";
        throw new Error(`${why}${tail}`);
      }
    } finally {
      this.starting.delete(instance);
    }
    const previous = this.running.get(spec.key);
    this.running.set(spec.key, instance);
    if (previous) await this.kill(previous);
    return instance;
  }
  /** Stops the instance for `key`, if any. */
  async stop(key) {
    const instance = this.running.get(key);
    if (!instance) return;
    this.running.delete(key);
    await this.kill(instance);
  }
  /**
   * Kills the instance for `key` the way a crash would: at once, and left in place as not alive, so
   * requests fail until something starts that version again.
   */
  async crash(key) {
    const instance = this.running.get(key);
    if (!instance || instance.pid <= 0) return;
    try {
      process.kill(-instance.pid, "SIGKILL");
    } catch {
    }
    await instance.exited;
  }
  /** Stops every key starting with `prefix` (all versions of a runtime). */
  async stopPrefix(prefix) {
    const keys = [...this.running.keys()].filter((key) => key.startsWith(prefix));
    await Promise.all(keys.map((key) => this.stop(key)));
  }
  /** Stops everything and refuses new starts: the emulator is shutting down. */
  async close() {
    this.closed = true;
    await this.stopAll();
  }
  /** Stops everything, including processes still starting. */
  async stopAll() {
    const all = [...this.running.values(), ...this.starting];
    this.running.clear();
    await Promise.all(all.map((instance) => this.kill(instance)));
  }
  /** Why a live process failed its health check; the usual cause locally is a hard-coded port. */
  unhealthy(spec, port) {
    const why = `port ${port} not healthy at ${spec.healthPath} within ${this.startTimeoutMs} ms`;
    if (spec.runtimePort === port) return why;
    const ignored = `the runtime's port ${spec.runtimePort} is not used`;
    return `${why}; the emulator gives each version its own port in $PORT (${ignored}): make the agent listen on $PORT`;
  }
  async kill(instance) {
    const signalGroup = (signal) => {
      try {
        process.kill(-instance.pid, signal);
      } catch {
      }
    };
    if (instance.pid > 0) {
      signalGroup("SIGTERM");
      const stopped = await Promise.race([instance.exited.then(() => true), sleep3(STOP_GRACE_MS, false)]);
      signalGroup("SIGKILL");
      if (!stopped) await instance.exited;
    }
    await rm(instance.dir, { recursive: true, force: true });
  }
};
function agentEnv(variables, toDir, port) {
  const env = { PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin" };
  for (const [name, value] of Object.entries(variables)) env[name] = toDir(value);
  return { ...env, PORT: String(port), HOST: "127.0.0.1" };
}
function eachLine(stream, fn) {
  let pending = "";
  stream.setEncoding("utf8").on("data", (text) => {
    const lines = (pending + text).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) fn(line.replace(/\r$/, ""));
  });
  stream.once("end", () => {
    if (pending !== "") fn(pending);
  });
}
function portIsFree(port) {
  return new Promise((resolveFree) => {
    const server = createServer2();
    server.once("error", () => resolveFree(false));
    server.listen(port, "0.0.0.0", () => server.close(() => resolveFree(true)));
  });
}
function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer2();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
async function waitHealthy(port, path, exited, timeoutMs) {
  let gone = false;
  void exited.then(() => gone = true);
  const deadline = Date.now() + timeoutMs;
  while (!gone && Date.now() < deadline) {
    if (await probe(port, path)) return true;
    await sleep3(50);
  }
  return false;
}
function probe(port, path) {
  return new Promise((resolveProbe) => {
    const req = request2({ host: "127.0.0.1", port, path, method: "GET", timeout: 1e3 }, (res) => {
      res.resume();
      resolveProbe((res.statusCode ?? 500) < 400);
    });
    req.on("error", () => resolveProbe(false));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

// emulator/server.ts
import { createServer as createServer3 } from "node:http";
import { parse as parseQuery } from "node:querystring";
import { setTimeout as sleep4 } from "node:timers/promises";

// emulator/admin.ts
async function handleAdmin(ctx, method, path, body) {
  switch (`${method} ${path}`) {
    case "GET /__emulator/requests":
      return { status: 200, body: { requests: ctx.log } };
    case "GET /__emulator/faults":
      return { status: 200, body: { faults: ctx.faults.list() } };
    case "POST /__emulator/faults": {
      let rules;
      try {
        rules = JSON.parse(body.toString("utf8"));
      } catch {
        throw badRequest("The fault rule must be JSON");
      }
      ctx.faults.inject(parseFaultRules(rules));
      return { status: 200, body: { faults: ctx.faults.list() } };
    }
    case "DELETE /__emulator/faults":
      ctx.faults.clear();
      return { status: 200, body: { faults: [] } };
    case "POST /__emulator/reset":
      await ctx.reset();
      return { status: 200, body: { reset: true } };
    default:
      throw new ApiError(404, "InvalidAction.NotFound", `No emulator admin route ${method} ${path}`);
  }
}

// emulator/controlPlane.ts
import { randomUUID as randomUUID3 } from "node:crypto";
import { createReadStream } from "node:fs";

// emulator/workspaces.ts
import { randomUUID as randomUUID2 } from "node:crypto";
function findWorkspace(store, id) {
  const found = store.workspaces.get(id);
  if (!found) throw notFound(`Workspace ${id} does not exist`);
  return found;
}
function workspaceForCreate(store, workspaceId) {
  if (workspaceId === void 0) return DEFAULT_WORKSPACE.id;
  if (!store.workspaces.has(workspaceId))
    throw invalid(`workspaceId: workspace ${workspaceId} does not exist`);
  return workspaceId;
}
function createWorkspace(store, body) {
  const input = parse(createWorkspaceInput, body);
  const name = input.name ?? "";
  if (!name) throw invalid("name: a workspace needs a name");
  if ([...store.workspaces.values()].some((w) => w.name === name)) {
    throw alreadyExists(`Workspace ${name} already exists`);
  }
  const record2 = {
    id: `ws-${randomUUID2()}`,
    name,
    description: input.description ?? "",
    ...input.resourceGroupId !== void 0 && { resourceGroupId: input.resourceGroupId },
    isDefault: false,
    createdAt: isoSeconds()
  };
  store.workspaces.set(record2.id, record2);
  store.save();
  return record2;
}
function listWorkspaces(store, query) {
  return [...store.workspaces.values()].filter((w) => !query.name || w.name === query.name);
}
function workspaceView(record2, region, accountId) {
  return workspace.parse({
    workspaceId: record2.id,
    workspaceArn: `acs:agentrun:${region}:${accountId}:workspaces/${record2.id}`,
    name: record2.name,
    ...record2.description && { description: record2.description },
    ...record2.resourceGroupId !== void 0 && { resourceGroupId: record2.resourceGroupId },
    isDefault: record2.isDefault,
    createdAt: record2.createdAt,
    updatedAt: record2.createdAt
  });
}

// emulator/controlPlane.ts
var API_VERSION = "2025-09-10";
var Action = {
  createRuntime: "CreateAgentRuntime",
  getRuntime: "GetAgentRuntime",
  updateRuntime: "UpdateAgentRuntime",
  deleteRuntime: "DeleteAgentRuntime",
  listRuntimes: "ListAgentRuntimes",
  publishVersion: "PublishRuntimeVersion",
  listVersions: "ListAgentRuntimeVersions",
  createEndpoint: "CreateAgentRuntimeEndpoint",
  listEndpoints: "ListAgentRuntimeEndpoints",
  getEndpoint: "GetAgentRuntimeEndpoint",
  updateEndpoint: "UpdateAgentRuntimeEndpoint",
  deleteEndpoint: "DeleteAgentRuntimeEndpoint",
  getWorkspace: "GetWorkspace",
  listWorkspaces: "ListWorkspaces",
  createWorkspace: "CreateWorkspace"
};
var RUNTIMES = `/${API_VERSION}/agents/runtimes`;
var WORKSPACES = `/${API_VERSION}/workspaces`;
var ID = "([^/?]+)";
var ROUTES = [
  { action: Action.createRuntime, method: "POST", pattern: new RegExp(`^${RUNTIMES}$`) },
  { action: Action.listRuntimes, method: "GET", pattern: new RegExp(`^${RUNTIMES}$`) },
  { action: Action.getRuntime, method: "GET", pattern: new RegExp(`^${RUNTIMES}/${ID}$`) },
  { action: Action.updateRuntime, method: "PUT", pattern: new RegExp(`^${RUNTIMES}/${ID}$`) },
  { action: Action.deleteRuntime, method: "DELETE", pattern: new RegExp(`^${RUNTIMES}/${ID}$`) },
  { action: Action.publishVersion, method: "POST", pattern: new RegExp(`^${RUNTIMES}/${ID}/versions$`) },
  { action: Action.listVersions, method: "GET", pattern: new RegExp(`^${RUNTIMES}/${ID}/versions$`) },
  { action: Action.createEndpoint, method: "POST", pattern: new RegExp(`^${RUNTIMES}/${ID}/endpoints$`) },
  { action: Action.listEndpoints, method: "GET", pattern: new RegExp(`^${RUNTIMES}/${ID}/endpoints$`) },
  { action: Action.getEndpoint, method: "GET", pattern: new RegExp(`^${RUNTIMES}/${ID}/endpoints/${ID}$`) },
  {
    action: Action.updateEndpoint,
    method: "PUT",
    pattern: new RegExp(`^${RUNTIMES}/${ID}/endpoints/${ID}$`)
  },
  {
    action: Action.deleteEndpoint,
    method: "DELETE",
    pattern: new RegExp(`^${RUNTIMES}/${ID}/endpoints/${ID}$`)
  },
  { action: Action.getWorkspace, method: "GET", pattern: new RegExp(`^${WORKSPACES}/${ID}$`) },
  { action: Action.listWorkspaces, method: "GET", pattern: new RegExp(`^${WORKSPACES}$`) },
  { action: Action.createWorkspace, method: "POST", pattern: new RegExp(`^${WORKSPACES}$`) }
];
var BODY_ACTIONS = /* @__PURE__ */ new Set([
  Action.createRuntime,
  Action.updateRuntime,
  Action.createEndpoint,
  Action.updateEndpoint,
  Action.createWorkspace
]);
function matchRoute(method, path) {
  for (const route of ROUTES) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (match) return { action: route.action, ids: match.slice(1).map((id) => decodeURIComponent(id)) };
  }
  return void 0;
}
async function handleControl(ctx, call, query, body) {
  const [runtimeId = "", endpointId = ""] = call.ids;
  const forcedFailure = () => {
    const rule = ctx.faults.take(call.action, ["fail-transition"]);
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
          `AgentRuntime ${config.agentRuntimeName} already exists in workspace ${workspaceId}`
        );
      }
      const now = isoSeconds();
      const runtime = {
        id: randomUUID3(),
        config,
        status: Status.creating,
        statusReason: "",
        createdAt: now,
        lastUpdatedAt: now,
        versions: []
      };
      ctx.store.runtimes.set(runtime.id, runtime);
      ctx.lifecycle.createRuntime(runtime, forcedFailure());
      return views.runtime(runtime);
    }
    case Action.getRuntime: {
      const runtime = findRuntime(ctx, runtimeId);
      const version = query.agentRuntimeVersion;
      if (version === void 0 || version === LATEST) return views.runtime(runtime);
      const snapshot = runtime.versions.find((v) => v.version === version);
      if (!snapshot) throw notFound(`Version ${version} of AgentRuntime ${runtimeId} does not exist`);
      return views.runtime(runtime, snapshot.config, version);
    }
    case Action.updateRuntime: {
      const runtime = findRuntime(ctx, runtimeId);
      assertSettled("AgentRuntime", runtime);
      const input = parseUpdateRuntime(body);
      if (input.agentRuntimeName !== void 0 && input.agentRuntimeName !== runtime.config.agentRuntimeName) {
        throw invalid(`agentRuntimeName cannot be changed (is ${runtime.config.agentRuntimeName})`);
      }
      if (input.workspaceId !== void 0 && input.workspaceId !== workspaceOf(runtime)) {
        throw invalid(`workspaceId cannot be changed (the runtime is in workspace ${workspaceOf(runtime)})`);
      }
      const config = await withVerifiedCode(ctx.objects, parseCreateRuntime(updated(runtime.config, input)));
      assertSettled("AgentRuntime", findRuntime(ctx, runtimeId));
      ctx.lifecycle.updateRuntime(runtime, config, forcedFailure());
      return views.runtime(runtime);
    }
    case Action.deleteRuntime: {
      const runtime = findRuntime(ctx, runtimeId);
      if (runtime.status === Status.deleting) return views.runtime(runtime);
      assertSettled("AgentRuntime", runtime);
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
        createdAt: isoSeconds()
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
      const name = input.agentRuntimeEndpointName ?? "";
      assertUniqueEndpoint(ctx, runtime, name);
      const now = isoSeconds();
      const endpoint = {
        id: randomUUID3(),
        runtimeId: runtime.id,
        ...endpointSettings(runtime, { ...input, agentRuntimeEndpointName: name }),
        status: Status.creating,
        statusReason: "",
        endpointPublicUrl: "",
        createdAt: now,
        lastUpdatedAt: now
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
      assertSettled("AgentRuntimeEndpoint", endpoint);
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
        scalingConfig: deleteScalingConfig ? void 0 : endpoint.scalingConfig
      };
      Object.assign(endpoint, endpointSettings(runtime, { ...kept, ...defined(input) }));
      ctx.lifecycle.updateEndpoint(endpoint, forcedFailure());
      return views.endpoint(endpoint);
    }
    case Action.deleteEndpoint: {
      const endpoint = findEndpoint(ctx, runtimeId, endpointId);
      if (endpoint.status === Status.deleting) return views.endpoint(endpoint);
      assertSettled("AgentRuntimeEndpoint", endpoint);
      ctx.lifecycle.deleteEndpoint(endpoint, forcedFailure());
      return views.endpoint(endpoint);
    }
    case Action.getWorkspace:
      return views.workspace(findWorkspace(ctx.store, call.ids[0] ?? ""));
    case Action.listWorkspaces: {
      const { items, ...rest } = page(listWorkspaces(ctx.store, query), query, (w) => views.workspace(w));
      return { workspaces: items, ...rest };
    }
    case Action.createWorkspace:
      return views.workspace(createWorkspace(ctx.store, body));
  }
}
var Views = class {
  constructor(ctx) {
    this.ctx = ctx;
  }
  ctx;
  runtime(runtime, config = runtime.config, version = LATEST) {
    const echoed = Object.fromEntries(
      Object.entries(config).filter(([field]) => field in agentRuntime.shape && isEchoed(field))
    );
    const code = config.codeConfiguration;
    return answer(agentRuntime, {
      ...echoed,
      codeConfiguration: code && {
        ...code,
        zipFile: void 0,
        checksum: isEchoed("codeConfiguration.checksum") ? code.checksum : void 0
      },
      agentRuntimeId: runtime.id,
      agentRuntimeArn: `acs:agentrun:${this.ctx.region}:${this.ctx.accountId}:runtimes/${runtime.id}`,
      agentRuntimeVersion: version,
      status: runtime.status,
      statusReason: runtime.statusReason,
      createdAt: runtime.createdAt,
      lastUpdatedAt: runtime.lastUpdatedAt
    });
  }
  version(runtime, snapshot) {
    return answer(agentRuntimeVersion, {
      agentRuntimeArn: `acs:agentrun:${this.ctx.region}:${this.ctx.accountId}:runtimes/${runtime.id}`,
      agentRuntimeId: runtime.id,
      agentRuntimeName: runtime.config.agentRuntimeName,
      agentRuntimeVersion: snapshot.version,
      description: snapshot.description,
      lastUpdatedAt: snapshot.createdAt
    });
  }
  workspace(record2) {
    return workspaceView(record2, this.ctx.region, this.ctx.accountId);
  }
  endpoint(endpoint) {
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
      statusReason: endpoint.statusReason
    });
  }
};
function answer(model, data) {
  return model.parse(withoutEmpty(data));
}
function withoutEmpty(value) {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).flatMap(([key, item]) => {
    const kept = withoutEmpty(item);
    const empty = kept === void 0 || kept === "" || Array.isArray(kept) && kept.length === 0 || typeof kept === "object" && kept !== null && !Array.isArray(kept) && Object.keys(kept).length === 0;
    return empty ? [] : [[key, kept]];
  });
  return Object.fromEntries(entries);
}
function defined(input) {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== void 0));
}
function updated(deployed, input) {
  const sent = { ...input, forceEvictInstances: void 0, agentRuntimeName: void 0 };
  return {
    ...deployed,
    ...defined(sent),
    codeConfiguration: codeAfterUpdate(deployed.codeConfiguration, input)
  };
}
function codeAfterUpdate(deployed, input) {
  const sent = input.codeConfiguration;
  if (!sent) return deployed;
  if (!deployed || sent.zipFile !== void 0 || sent.ossBucketName !== void 0) return sent;
  const { zipFile, ossBucketName, ossObjectName, checksum } = deployed;
  return { ...sent, zipFile, ossBucketName, ossObjectName, checksum: sent.checksum ?? checksum };
}
async function withVerifiedCode(objects, config) {
  const code = config.codeConfiguration;
  if (config.artifactType !== "Code" || code === void 0) return config;
  if (code.zipFile === void 0 && code.ossBucketName === void 0) return config;
  const field = code.zipFile !== void 0 ? "codeConfiguration.zipFile" : "codeConfiguration.ossObjectName";
  const zip = codeSource(code, objects);
  const bytes = typeof zip === "string" ? await objects.size(code.ossBucketName ?? "", code.ossObjectName ?? "") : zip.length;
  if (bytes === void 0) {
    throw invalid(`${field}: oss://${code.ossBucketName}/${code.ossObjectName} does not exist`);
  }
  if (bytes === 0) throw invalid(`${field}: the package is empty`);
  const actual = typeof zip === "string" ? await crc64File(zip) : crc64(zip);
  if (code.checksum !== void 0 && code.checksum !== actual) {
    throw invalid(
      `codeConfiguration.checksum: ${code.checksum} does not match the CRC-64 of the package (${actual})`
    );
  }
  try {
    await checkZip(zip);
  } catch (error) {
    throw invalid(`${field}: ${error.message}`);
  }
  return { ...config, codeConfiguration: { ...code, checksum: actual } };
}
async function crc64File(file) {
  const crc = new Crc64();
  for await (const chunk of createReadStream(file)) crc.update(chunk);
  return crc.digest();
}
function endpointSettings(runtime, input) {
  return {
    name: input.agentRuntimeEndpointName,
    description: input.description ?? "",
    targetVersion: checkRouting(runtime, input),
    routingConfiguration: input.routingConfiguration,
    disablePublicNetworkAccess: input.disablePublicNetworkAccess ?? false,
    scalingConfig: input.scalingConfig
  };
}
function checkRouting(runtime, input) {
  const target = input.targetVersion ?? LATEST;
  const exists2 = (version) => version === LATEST || runtime.versions.some((v) => v.version === version);
  const published = runtime.versions.map((v) => v.version).join(", ") || "none";
  if (!exists2(target)) {
    throw invalid(`targetVersion: version ${target} does not exist (published versions: ${published})`);
  }
  const weights = input.routingConfiguration?.versionWeights ?? [];
  for (const { version = "" } of weights) {
    if (!exists2(version)) {
      throw invalid(
        `routingConfiguration.versionWeights: version ${version} does not exist (published: ${published})`
      );
    }
  }
  const sum = weights.reduce((total, w) => total + (w.weight ?? 0), 0);
  if (sum > 1 + 1e-9) {
    throw invalid(`routingConfiguration.versionWeights: weights sum to ${sum}, which is more than 1`);
  }
  return target;
}
function findRuntime(ctx, id) {
  const runtime = ctx.store.runtimes.get(id);
  if (!runtime) throw notFound(`AgentRuntime ${id} does not exist`);
  return runtime;
}
function findEndpoint(ctx, runtimeId, id) {
  findRuntime(ctx, runtimeId);
  const endpoint = ctx.store.endpoints.get(id);
  if (!endpoint || endpoint.runtimeId !== runtimeId) {
    throw notFound(`AgentRuntimeEndpoint ${id} does not exist in AgentRuntime ${runtimeId}`);
  }
  return endpoint;
}
var BUSY = new Set(SERVICE.busyStatuses);
function assertSettled(kind, record2) {
  if (BUSY.has(record2.status)) {
    throw conflict(`${kind} ${record2.id} is ${record2.status}; retry when the operation has finished`);
  }
}
function assertRunnable(runtime) {
  assertSettled("AgentRuntime", runtime);
  if (runtime.status === Status.createFailed || runtime.status === Status.deleteFailed) {
    throw conflict(`AgentRuntime ${runtime.id} is ${runtime.status}; endpoints need a READY runtime`);
  }
}
function assertUniqueEndpoint(ctx, runtime, name) {
  if (ctx.store.endpointsOf(runtime.id).some((e) => e.name === name)) {
    throw alreadyExists(`AgentRuntimeEndpoint ${name} already exists in AgentRuntime ${runtime.id}`);
  }
}
function nameFilter(name, mode = SERVICE.defaultSearchMode) {
  const modes = SERVICE.searchModes;
  if (!modes.includes(mode)) throw invalid(`searchMode: must be one of ${modes.join(", ")} (got ${mode})`);
  return (candidate) => !name || (mode === "exact" ? candidate === name : candidate.toLowerCase().includes(name.toLowerCase()));
}
function filterRuntimes(runtimes, query) {
  const named = nameFilter(query.agentRuntimeName, query.searchMode);
  const statuses = query.status?.split(",").filter(Boolean);
  const workspaces = (query.workspaceIds ?? query.workspaceId)?.split(",").filter(Boolean);
  return runtimes.filter((r) => {
    if (!named(r.config.agentRuntimeName)) return false;
    if (statuses?.length && !statuses.includes(r.status)) return false;
    return !workspaces?.length || workspaces.includes(workspaceOf(r));
  });
}
function page(items, query, view) {
  const number = (name, fallback, max) => {
    const raw = query[name];
    if (raw === void 0 || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw badRequest(`${name}: must be an integer from 1 to ${max} (got ${raw})`);
    }
    return value;
  };
  const pageNumber = number("pageNumber", 1, Number.MAX_SAFE_INTEGER);
  const pageSize = number("pageSize", 20, SERVICE.maxPageSize);
  const start = (pageNumber - 1) * pageSize;
  return { items: items.slice(start, start + pageSize).map(view), pageNumber, pageSize, total: items.length };
}

// emulator/signature.ts
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
var ALGORITHM = "ACS3-HMAC-SHA256";
var MAX_SKEW_MS = 15 * 60 * 1e3;
var STRING_TO_SIGN_HINT = "Specified signature is not matched with our calculation. server string to sign is:";
function percentEncode(value) {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  );
}
var NonceCache = class {
  seen = /* @__PURE__ */ new Map();
  /** Throws if `nonce` was used within the window. */
  use(nonce) {
    const now = Date.now();
    for (const [old, at] of this.seen) if (now - at > MAX_SKEW_MS) this.seen.delete(old);
    if (this.seen.has(nonce)) {
      throw new ApiError(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
    }
    this.seen.set(nonce, now);
  }
};
function verifyAcs3(req, keys, nonces) {
  const header2 = (name) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(",") : value;
  };
  const authorization = header2("authorization");
  const match = authorization?.match(
    /^(\S+) Credential=([^,]+),SignedHeaders=([^,]*),Signature=([0-9a-f]+)$/
  );
  if (!authorization || !match) {
    throw incomplete(
      'the Authorization header is missing or not of the form "ACS3-HMAC-SHA256 Credential=\u2026,SignedHeaders=\u2026,Signature=\u2026"'
    );
  }
  const [, algorithm, accessKeyId, signedList, signature] = match;
  if (algorithm !== ALGORITHM) {
    throw new ApiError(
      400,
      "InvalidParameter.SignatureAlgorithm",
      `Unsupported signature algorithm ${algorithm}.`
    );
  }
  const signedHeaders = signedList.split(";");
  const unsigned = Object.keys(req.headers).filter(
    (name) => (name.startsWith("x-acs-") || name === "host") && !signedHeaders.includes(name)
  );
  if (unsigned.length > 0) throw incomplete(`headers ${unsigned.join(", ")} must be signed`);
  for (const required2 of ["x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"]) {
    if (!header2(required2)) throw incomplete(`the ${required2} header is required`);
  }
  checkDate(header2("x-acs-date"));
  const key = keys.resolve(accessKeyId, header2("x-acs-security-token"));
  const bodyHash = createHash("sha256").update(req.body).digest("hex");
  if (header2("x-acs-content-sha256") !== bodyHash) {
    throw new ApiError(
      400,
      "SignatureDoesNotMatch",
      `The x-acs-content-sha256 header does not match the request body (body hash ${bodyHash}).`
    );
  }
  const canonicalQuery = Object.keys(req.query).sort().map((name) => `${percentEncode(name)}=${percentEncode(req.query[name])}`).join("&");
  const canonicalHeaders = [...signedHeaders].sort().map((name) => `${name}:${(header2(name) ?? "").trim()}
`).join("");
  const canonicalRequest = [
    req.method,
    // The client canonicalises its path with these single (not global) replacements; mirror them.
    req.path.replace("+", "%20").replace("*", "%2A").replace("%7E", "~"),
    canonicalQuery,
    canonicalHeaders,
    [...signedHeaders].sort().join(";"),
    header2("x-acs-content-sha256")
  ].join("\n");
  const stringToSign2 = `${ALGORITHM}
${createHash("sha256").update(canonicalRequest).digest("hex")}`;
  const expected = createHmac("sha256", key.accessKeySecret).update(stringToSign2).digest("hex");
  if (!sameText(expected, signature)) {
    throw new ApiError(400, "SignatureDoesNotMatch", `${STRING_TO_SIGN_HINT}${stringToSign2}`);
  }
  nonces.use(header2("x-acs-signature-nonce"));
  return key;
}
function verifyRpcV1(method, params, keys, nonces) {
  for (const name of ["AccessKeyId", "Signature", "SignatureNonce", "Timestamp"]) {
    if (!params[name]) throw new ApiError(400, `Missing${name}`, `${name} is mandatory for this action.`);
  }
  if (params.SignatureMethod !== "HMAC-SHA1") {
    throw new ApiError(400, "InvalidParameter", 'The specified parameter "SignatureMethod" is not valid.');
  }
  checkDate(params.Timestamp);
  const key = keys.resolve(params.AccessKeyId, params.SecurityToken);
  const canonical = Object.keys(params).filter((name) => name !== "Signature").sort().map((name) => `${percentEncode(name)}=${percentEncode(params[name])}`).join("&");
  const stringToSign2 = `${method}&${percentEncode("/")}&${percentEncode(canonical)}`;
  const expected = createHmac("sha1", `${key.accessKeySecret}&`).update(stringToSign2).digest("base64");
  if (!sameText(expected, params.Signature)) {
    throw new ApiError(400, "SignatureDoesNotMatch", `${STRING_TO_SIGN_HINT}${stringToSign2}`);
  }
  nonces.use(params.SignatureNonce);
  return key;
}
function isFresh(httpDate) {
  const time = Date.parse(httpDate);
  return !Number.isNaN(time) && Math.abs(Date.now() - time) <= MAX_SKEW_MS;
}
function checkDate(value) {
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value) || Number.isNaN(time)) {
    throw new ApiError(
      400,
      "InvalidTimeStamp.Format",
      `Specified time stamp or date value is not well formatted: ${value}.`
    );
  }
  if (Math.abs(Date.now() - time) > MAX_SKEW_MS) {
    throw new ApiError(
      400,
      "InvalidTimeStamp.Expired",
      `Specified time stamp or date value is expired: ${value}.`
    );
  }
}
function incomplete(detail) {
  return new ApiError(
    400,
    "IncompleteSignature",
    `The request signature does not conform to Aliyun standards: ${detail}.`
  );
}
function sameText(a, b) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

// emulator/sls.ts
import { timingSafeEqual as timingSafeEqual2 } from "node:crypto";

// emulator/slsQuery.ts
var DELIMITERS = new RegExp(`[${INDEX_TOKENS.map((c) => c.replace(/[\\\]^-]/g, "\\$&")).join("")}]+`);
var FIELD = /^([A-Za-z_][\w.]*):(.*)$/s;
function compileQuery(query) {
  const tokens = lex(query ?? "");
  if (tokens.length === 0) return () => true;
  const parser = new Parser(tokens);
  const node = parser.or();
  if (!parser.done()) throw invalid2(`unexpected ${JSON.stringify(parser.peek())}`);
  return (record2) => evaluate(node, record2);
}
function invalid2(detail) {
  return new ApiError(400, "ParameterInvalid", `The query is invalid: ${detail}.`);
}
function lex(query) {
  if (query.includes("|")) throw invalid2("analytic statements (after |) are not supported by the emulator");
  const tokens = [];
  for (const match of query.matchAll(/\s+|[()]|"(?:[^"\\]|\\.)*"?|[^\s()"]+/g)) {
    const text = match[0];
    if (/^\s+$/.test(text)) continue;
    if (text.startsWith('"') && (text.length === 1 || !text.endsWith('"'))) throw invalid2("unclosed quote");
    tokens.push(text);
  }
  return tokens;
}
var Parser = class {
  constructor(tokens) {
    this.tokens = tokens;
  }
  tokens;
  position = 0;
  done() {
    return this.position >= this.tokens.length;
  }
  peek() {
    return this.tokens[this.position];
  }
  next() {
    const token = this.tokens[this.position++];
    if (token === void 0) throw invalid2("the query ends too early");
    return token;
  }
  isWord(word) {
    return this.peek()?.toLowerCase() === word;
  }
  or() {
    const nodes = [this.and()];
    while (this.isWord("or")) {
      this.next();
      nodes.push(this.and());
    }
    return nodes.length === 1 ? nodes[0] : { kind: "or", nodes };
  }
  and() {
    const nodes = [this.not()];
    while (!this.done() && this.peek() !== ")" && !this.isWord("or")) {
      if (this.isWord("and")) this.next();
      nodes.push(this.not());
    }
    return nodes.length === 1 ? nodes[0] : { kind: "and", nodes };
  }
  not() {
    if (this.isWord("not")) {
      this.next();
      return { kind: "not", node: this.not() };
    }
    return this.primary();
  }
  primary() {
    const token = this.next();
    if (token === "(") {
      const node = this.or();
      if (this.next() !== ")") throw invalid2("missing )");
      return node;
    }
    if (token === ")") throw invalid2("unexpected )");
    if (token === "*") return { kind: "all" };
    const field = FIELD.exec(token);
    if (field && !token.startsWith('"')) {
      const value = field[2] === "" ? this.next() : field[2];
      return { kind: "term", field: field[1], tokens: termTokens(value) };
    }
    return { kind: "term", tokens: termTokens(token) };
  }
};
function termTokens(text) {
  const unquoted = text.startsWith('"') ? text.slice(1, -1).replace(/\\(.)/g, "$1") : text;
  const tokens = split(unquoted);
  if (tokens.length === 0) throw invalid2(`${JSON.stringify(text)} has no searchable token`);
  return tokens;
}
function split(text) {
  return text.toLowerCase().split(DELIMITERS).filter((token) => token !== "");
}
function evaluate(node, record2) {
  switch (node.kind) {
    case "all":
      return true;
    case "not":
      return !evaluate(node.node, record2);
    case "and":
      return node.nodes.every((child) => evaluate(child, record2));
    case "or":
      return node.nodes.some((child) => evaluate(child, record2));
    case "term": {
      const values = node.field === void 0 ? Object.values(record2) : [record2[node.field] ?? ""];
      return values.some((value) => containsPhrase(split(value), node.tokens));
    }
  }
}
function containsPhrase(tokens, wanted) {
  const same = (token, pattern) => pattern.endsWith("*") ? token.startsWith(pattern.slice(0, -1)) : token === pattern;
  for (let start = 0; start + wanted.length <= tokens.length; start++) {
    if (wanted.every((pattern, offset) => same(tokens[start + offset], pattern))) return true;
  }
  return false;
}

// emulator/sls.ts
var LogService = class {
  constructor(region, accountId) {
    this.region = region;
    this.accountId = accountId;
  }
  region;
  accountId;
  projects = /* @__PURE__ */ new Map();
  /** Appends an agent's line to `project`/`logstore`; dropped when they do not exist, as in the cloud. */
  append(project, logstore, line) {
    const store = this.projects.get(project)?.logstores.get(logstore);
    if (!store) return;
    store.logs.push({
      [SlsField.time]: String(Math.floor(Date.now() / 1e3)),
      [SlsField.source]: "127.0.0.1",
      [SlsField.topic]: "",
      [LogField.runtime]: line.runtime,
      [LogField.version]: line.version,
      [LogField.endpoint]: line.endpoint,
      [LogField.instance]: line.instance,
      [LogField.message]: line.message
    });
  }
  /** How many projects and logstores exist, for tests of idempotence. */
  counts() {
    const logstores = [...this.projects.values()].reduce((sum, p) => sum + p.logstores.size, 0);
    return { projects: this.projects.size, logstores };
  }
  clear() {
    this.projects.clear();
  }
  /** Handles one SLS request; resolves to the status and JSON body (undefined: an empty body). */
  handle(call) {
    const route = routeOf(call);
    const { project: name } = call;
    if (route.action === "CreateProject")
      return { action: route.action, body: this.createProject(call.json) };
    const project = this.projects.get(name ?? "");
    if (!project) throw notExist(SlsCodes.projectNotExist, `Project ${name ?? "(none)"} does not exist`);
    if (route.action === "GetProject") return { action: route.action, body: project.project };
    if (route.action === "CreateLogStore") {
      const input = parse2(createLogStoreInput, call.json);
      if (project.logstores.has(input.logstoreName)) {
        throw exists(SlsCodes.logStoreAlreadyExist, `logstore ${input.logstoreName} already exists`);
      }
      const now = Math.floor(Date.now() / 1e3);
      const logstore = { ...input, createTime: now, lastModifyTime: now };
      project.logstores.set(input.logstoreName, { logstore, logs: [] });
      return { action: route.action };
    }
    const store = project.logstores.get(route.logstore ?? "");
    if (!store) throw notExist(SlsCodes.logStoreNotExist, `logstore ${route.logstore} does not exist`);
    switch (route.action) {
      case "GetLogStore":
        return { action: route.action, body: store.logstore };
      case "GetIndex":
        if (!store.index) throw notExist(SlsCodes.indexNotExist, `index config doesn't exist`);
        return { action: route.action, body: store.index };
      case "CreateIndex":
        if (store.index) throw exists(SlsCodes.indexAlreadyExist, "log store index is already created");
        store.index = parse2(indexInput, call.json);
        return { action: route.action };
      default:
        return { action: route.action, body: getLogs(store, parse2(getLogsInput, call.json)) };
    }
  }
  createProject(json) {
    const input = parse2(createProjectInput, json);
    if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(input.projectName)) {
      throw invalidParameter(`project name ${input.projectName} is invalid`);
    }
    if (this.projects.has(input.projectName)) {
      throw exists(SlsCodes.projectAlreadyExist, `Project ${input.projectName} already exist`);
    }
    const now = (/* @__PURE__ */ new Date()).toISOString();
    const project = {
      projectName: input.projectName,
      description: input.description,
      region: this.region,
      owner: this.accountId,
      status: "Normal",
      createTime: now,
      lastModifyTime: now
    };
    this.projects.set(input.projectName, { project, logstores: /* @__PURE__ */ new Map() });
    return void 0;
  }
};
function routeOf({ method, path, project }) {
  const key = `${method} ${path.replace(/^\/logstores\/[^/]+/, "/logstores/{logstore}")}`;
  const logstore = /^\/logstores\/([^/]+)/.exec(path)?.[1];
  const action = {
    "POST /": project === void 0 ? "CreateProject" : void 0,
    "GET /": "GetProject",
    "POST /logstores": "CreateLogStore",
    "GET /logstores/{logstore}": "GetLogStore",
    "POST /logstores/{logstore}/index": "CreateIndex",
    "GET /logstores/{logstore}/index": "GetIndex",
    "POST /logstores/{logstore}/logs": "GetLogsV2"
  }[key];
  if (!action)
    throw new ApiError(404, "InvalidAction", `the emulator serves no SLS operation ${method} ${path}`);
  return { action, logstore: logstore && decodeURIComponent(logstore) };
}
function getLogs(store, input) {
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
      progress: "Complete",
      count: data.length,
      processedRows: inRange.length,
      elapsedMillisecond: Date.now() - started,
      hasSQL: false,
      keys
    },
    data
  };
}
function verifySls(request3, keys) {
  const headers = {};
  for (const [name, value] of Object.entries(request3.headers)) {
    if (value !== void 0) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const match = /^LOG ([^:]+):(.+)$/.exec(headers.authorization ?? "");
  if (!match)
    throw new ApiError(
      401,
      "Unauthorized",
      "The Authorization header is missing or not LOG <AccessKeyId>:<Signature>."
    );
  const key = keys.resolve(match[1], headers["x-acs-security-token"]);
  const date = Date.parse(headers.date ?? "");
  if (Number.isNaN(date) || Math.abs(Date.now() - date) > 15 * 60 * 1e3) {
    throw new ApiError(
      400,
      "RequestTimeTooSkewed",
      `The Date header ${headers.date ?? "(none)"} is missing or more than 15 minutes from the server's time.`
    );
  }
  if (request3.body.length > 0 && headers["content-md5"] !== contentMd5(request3.body)) {
    throw new ApiError(400, "InvalidContentMD5", "The Content-MD5 header does not match the body.");
  }
  const expected = Buffer.from(
    sign(stringToSign(request3.method, request3.path, request3.query, headers), key.accessKeySecret)
  );
  const given = Buffer.from(match[2]);
  if (expected.length !== given.length || !timingSafeEqual2(expected, given)) {
    throw new ApiError(401, "SignatureNotMatch", "signature " + match[2] + " not match");
  }
}
function projectOfHost(host) {
  const name = (host ?? "").replace(/:\d+$/, "");
  const endpoint = /(^|\.)((\d{1,3}\.){3}\d{1,3}|localhost|[a-z0-9-]+\.log\.aliyuncs\.com)$/.exec(name);
  if (!endpoint || endpoint.index === 0) return void 0;
  return name.slice(0, endpoint.index);
}
function isSlsRequest(headers) {
  return headers["x-log-apiversion"] !== void 0;
}
function slsErrorBody(error) {
  return { errorCode: error.code, errorMessage: error.message };
}
function parse2(schema, value) {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue2 = result.error.issues[0];
  throw invalidParameter(`${issue2.path.join(".") || "body"}: ${issue2.message}`);
}
var invalidParameter = (message) => new ApiError(400, "ParameterInvalid", message);
var notExist = (code, message) => new ApiError(404, code, message);
var exists = (code, message) => new ApiError(400, code, message);

// emulator/sts.ts
function stsErrorBody(error, requestId) {
  return {
    RequestId: requestId,
    HostId: "sts.aliyuncs.com",
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${error.code}&product=Sts`
  };
}
var ROLE_ARN = /^acs:ram::(\d+):role\/([\w.@-]{1,64})$/i;
var OIDC_PROVIDER_ARN = /^acs:ram::\d+:oidc-provider\/[\w.-]{1,128}$/i;
var SESSION_NAME = /^[\w.@-]{2,64}$/;
function stsAction(params, headerAction) {
  return params.Action ?? headerAction ?? "";
}
function handleSts(ctx, action, params, req) {
  const version = params.Version ?? header(req, "x-acs-version");
  if (version !== "2015-04-01") {
    throw new ApiError(
      400,
      "InvalidVersion",
      `Specified parameter Version is not valid: ${version ?? "(none)"}.`
    );
  }
  switch (action) {
    case "AssumeRoleWithOIDC":
      return assumeRoleWithOidc(ctx, params);
    case "AssumeRole": {
      const caller = header(req, "authorization") !== void 0 ? verifyAcs3(req, ctx.keys, ctx.nonces) : verifyRpcV1(req.method, params, ctx.keys, ctx.nonces);
      return assumeRole(ctx, params, caller.securityToken === void 0 ? 43200 : 3600);
    }
    case "GetCallerIdentity": {
      const caller = header(req, "authorization") !== void 0 ? verifyAcs3(req, ctx.keys, ctx.nonces) : verifyRpcV1(req.method, params, ctx.keys, ctx.nonces);
      return callerIdentity(ctx, caller.securityToken !== void 0);
    }
    default:
      throw new ApiError(
        404,
        "InvalidAction.NotFound",
        `Specified api is not found, please check your url and method: ${action}.`
      );
  }
}
function callerIdentity(ctx, temporary) {
  return {
    RequestId: newRequestId(),
    AccountId: ctx.accountId,
    UserId: ctx.accountId,
    PrincipalId: ctx.accountId,
    IdentityType: temporary ? "AssumedRoleUser" : "Account",
    Arn: temporary ? `acs:ram::${ctx.accountId}:assumed-role/emulator/session` : `acs:ram::${ctx.accountId}:root`
  };
}
function assumeRoleWithOidc(ctx, params) {
  const [providerArn, roleArn, token, sessionName] = required(
    params,
    "OIDCProviderArn",
    "RoleArn",
    "OIDCToken",
    "RoleSessionName"
  );
  if (!OIDC_PROVIDER_ARN.test(providerArn)) {
    throw new ApiError(
      400,
      "InvalidParameter.OIDCProviderArn",
      `The OIDCProviderArn is invalid: ${providerArn}.`
    );
  }
  const claims = decodeJwt(token);
  const issued = issue(ctx, params, roleArn, sessionName, 43200);
  const audience = Array.isArray(claims.aud) ? claims.aud.join(",") : String(claims.aud ?? "");
  return {
    ...issued,
    OIDCTokenInfo: {
      Subject: String(claims.sub ?? ""),
      Issuer: String(claims.iss ?? ""),
      ClientIds: audience,
      ExpirationTime: isoSeconds(Number(claims.exp) * 1e3),
      IssuanceTime: isoSeconds(Number(claims.iat ?? claims.exp) * 1e3),
      VerificationInfo: "Success: the emulator checks the token shape and expiry, not its signature."
    }
  };
}
function assumeRole(ctx, params, maxSeconds) {
  const [roleArn, sessionName] = required(params, "RoleArn", "RoleSessionName");
  return issue(ctx, params, roleArn, sessionName, maxSeconds);
}
function issue(ctx, params, roleArn, sessionName, maxSeconds) {
  const role = ROLE_ARN.exec(roleArn);
  if (!role)
    throw new ApiError(
      400,
      "InvalidParameter.RoleArn",
      `The parameter RoleArn is wrongly formed: ${roleArn}.`
    );
  if (!SESSION_NAME.test(sessionName)) {
    throw new ApiError(
      400,
      "InvalidParameter.RoleSessionName",
      `The parameter RoleSessionName is wrongly formed: ${sessionName}.`
    );
  }
  const seconds = Number(params.DurationSeconds ?? 3600);
  if (!Number.isInteger(seconds) || seconds < 900 || seconds > maxSeconds) {
    throw new ApiError(
      400,
      "InvalidParameter.DurationSeconds",
      `The DurationSeconds must be an integer from 900 to ${maxSeconds}: ${params.DurationSeconds}.`
    );
  }
  const key = ctx.keys.issue(Math.min(seconds * 1e3, ctx.maxTokenTtlMs ?? Infinity));
  const roleId = `3${role[1].slice(0, 15).padEnd(16, "0")}`;
  return {
    RequestId: newRequestId(),
    AssumedRoleUser: {
      AssumedRoleId: `${roleId}:${sessionName}`,
      Arn: `acs:ram::${ctx.accountId}:role/${role[2].toLowerCase()}/${sessionName}`
    },
    Credentials: {
      AccessKeyId: key.accessKeyId,
      AccessKeySecret: key.accessKeySecret,
      SecurityToken: key.securityToken,
      Expiration: isoSeconds(key.expiresAt)
    }
  };
}
function decodeJwt(token) {
  const malformed = (why) => new ApiError(400, "AuthenticationFail.OIDCToken.Invalid", `The OIDC token is invalid: ${why}.`);
  if (token.length < 4 || token.length > 2e4) throw malformed("it must be 4 to 20000 characters long");
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((part) => !/^[\w-]*$/.test(part)) || parts[2] === "") {
    throw malformed("it is not a signed JWT (header.payload.signature)");
  }
  let header2;
  let claims;
  try {
    header2 = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    throw malformed("its header or payload is not base64url JSON");
  }
  if (!isObject(header2) || typeof header2.alg !== "string") throw malformed("its header has no alg");
  if (!isObject(claims) || typeof claims.exp !== "number" || typeof claims.iss !== "string") {
    throw malformed("its payload needs numeric exp and an iss");
  }
  if (claims.exp * 1e3 <= Date.now()) {
    throw new ApiError(400, "AuthenticationFail.OIDCToken.Expired", "The OIDC token has expired.");
  }
  return claims;
}
function required(params, ...names) {
  return names.map((name) => {
    const value = params[name];
    if (!value) throw new ApiError(400, `Missing${name}`, `${name} is mandatory for this action.`);
    return value;
  });
}
function header(req, name) {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// emulator/fc.ts
import { randomUUID as randomUUID4 } from "node:crypto";
var FC_PREFIX = "/2016-08-15/";
var TOKEN_TTL_MS = 60 * 60 * 1e3;
function codeBucket(region) {
  return `fc-temp-code-${region}`;
}
function handleFc(ctx, req, method, path) {
  if (method !== "GET" || path !== TEMP_BUCKET_TOKEN_PATH) {
    throw new ApiError(
      404,
      "PathNotSupported",
      `The emulator serves only GET ${TEMP_BUCKET_TOKEN_PATH} of Function Compute.`
    );
  }
  verify(ctx, req, method, path);
  const key = ctx.keys.issue(TOKEN_TTL_MS);
  const bucket = codeBucket(ctx.region);
  ctx.objects.buckets.add(bucket);
  ctx.grants.set(key.accessKeyId, { bucket, prefix: `${ctx.accountId}/` });
  return {
    action: "GetTempBucketToken",
    body: {
      credentials: {
        AccessKeyId: key.accessKeyId,
        AccessKeySecret: key.accessKeySecret,
        SecurityToken: key.securityToken,
        Expiration: new Date(key.expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z")
      },
      ossBucket: bucket,
      objectName: `${randomUUID4()}.zip`,
      ossRegion: `oss-${ctx.region}`,
      codeSizeLimit: ctx.codeSizeLimit
    }
  };
}
function verify(ctx, req, method, path) {
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(",") : value ?? ""
    ])
  );
  const match = /^FC ([^:]+):(.+)$/.exec(headers.authorization ?? "");
  if (!match)
    throw new ApiError(
      403,
      "SignatureNotMatch",
      "The Authorization header is missing or not FC <AccessKeyId>:<Signature>."
    );
  const [, accessKeyId = ""] = match;
  if (!isFresh(headers.date ?? "")) {
    throw new ApiError(
      403,
      "RequestTimeTooSkewed",
      `The Date header ${headers.date ?? "(none)"} is not within 15 minutes of the server time.`
    );
  }
  if (headers["x-fc-account-id"] !== ctx.accountId) {
    throw new ApiError(
      403,
      "AccessDenied",
      `x-fc-account-id ${headers["x-fc-account-id"] ?? "(none)"} is not the account of these credentials.`
    );
  }
  const key = ctx.keys.resolve(accessKeyId, headers["x-fc-security-token"] || void 0);
  const stringToSign2 = fcStringToSign(method, path, headers);
  if (fcAuthorization(key, stringToSign2) !== headers.authorization) {
    throw new ApiError(
      403,
      "SignatureNotMatch",
      `The request signature does not match. String to sign: ${JSON.stringify(stringToSign2)}`
    );
  }
}
function fcErrorBody(error) {
  return { ErrorCode: error.code, ErrorMessage: error.message };
}

// emulator/arms.ts
import { createHash as createHash2 } from "node:crypto";
function licenceKeyOf(accountId) {
  const digest = createHash2("sha256").update(accountId).digest("hex");
  return `${digest.slice(0, 10)}@${digest.slice(10, 25)}`;
}
function handleArms(ctx, params, req, requestId) {
  const version = params.Version ?? req.headers["x-acs-version"];
  if (version !== ARMS_VERSION) {
    throw new ApiError(
      400,
      "InvalidVersion",
      `Specified parameter Version is not valid: ${version ?? "(none)"}.`
    );
  }
  if (req.headers.authorization !== void 0) verifyAcs3(req, ctx.keys, ctx.nonces);
  else verifyRpcV1(req.method, params, ctx.keys, ctx.nonces);
  return { RequestId: requestId, LicenseKey: licenceKeyOf(ctx.accountId) };
}

// emulator/oss.ts
import { createHash as createHash3, randomUUID as randomUUID5 } from "node:crypto";
import { createReadStream as createReadStream2, createWriteStream as createWriteStream2 } from "node:fs";
import { mkdir as mkdir3, rename as rename2, rm as rm2, stat } from "node:fs/promises";
import { join as join2 } from "node:path";
import { Transform } from "node:stream";
import { pipeline as pipeline3 } from "node:stream/promises";
var MAX_PUT_BYTES = 5 * 1024 ** 3;
var ObjectStore = class {
  constructor(dir) {
    this.dir = dir;
  }
  dir;
  buckets = /* @__PURE__ */ new Set();
  uploads = /* @__PURE__ */ new Map();
  /** The file holding an object (whether or not it exists). */
  file(bucket, key) {
    return join2(this.dir, encodeURIComponent(bucket), encodeURIComponent(key));
  }
  /** The object's size, or undefined when there is none. */
  async size(bucket, key) {
    return (await stat(this.file(bucket, key)).catch(() => void 0))?.size;
  }
  /** Streams `body` into the object (or a part), returning its MD5 ETag and CRC-64. */
  async write(target, body) {
    await mkdir3(join2(target, ".."), { recursive: true });
    const md5 = createHash3("md5");
    const crc = new Crc64();
    const temp = `${target}.${randomUUID5()}.tmp`;
    const hashing = new Transform({
      transform(chunk, _encoding, done) {
        md5.update(chunk);
        crc.update(chunk);
        done(null, chunk);
      }
    });
    try {
      await pipeline3(body, hashing, createWriteStream2(temp));
      await rename2(temp, target);
    } finally {
      await rm2(temp, { force: true });
    }
    return { etag: `"${md5.digest("hex").toUpperCase()}"`, crc64: crc.digest() };
  }
  startUpload(bucket, key) {
    const uploadId = randomUUID5().replace(/-/g, "").toUpperCase();
    this.uploads.set(uploadId, { bucket, key, parts: /* @__PURE__ */ new Map() });
    return uploadId;
  }
  upload(uploadId, bucket, key) {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.bucket !== bucket || upload.key !== key) {
      throw ossError(404, "NoSuchUpload", "The specified upload does not exist.");
    }
    return upload;
  }
  partFile(uploadId, partNumber) {
    return join2(this.dir, ".uploads", uploadId, String(partNumber));
  }
  /** Joins the listed parts into the object, checking each ETag; the upload is gone afterwards. */
  async complete(uploadId, bucket, key, parts) {
    const upload = this.upload(uploadId, bucket, key);
    for (const [i, part] of parts.entries()) {
      if (i > 0 && part.partNumber <= parts[i - 1].partNumber) {
        throw ossError(400, "InvalidPartOrder", "The list of parts was not in ascending order.");
      }
      if (upload.parts.get(part.partNumber) !== part.etag) {
        throw ossError(
          400,
          "InvalidPart",
          `Part ${part.partNumber} was not uploaded, or its ETag does not match.`
        );
      }
    }
    const files = parts.map((part) => this.partFile(uploadId, part.partNumber));
    async function* joined() {
      for (const file of files) yield* createReadStream2(file);
    }
    const written = await this.write(this.file(bucket, key), joined());
    this.uploads.delete(uploadId);
    await rm2(join2(this.dir, ".uploads", uploadId), { recursive: true, force: true });
    return written;
  }
};
function ossError(status, code, message) {
  return new ApiError(status, code, message);
}
function isOssRequest(req) {
  return /^OSS4?[ -]/.test(req.headers.authorization ?? "");
}
function ossAction(method, query) {
  if (method === "POST" && query.has("uploads")) return "InitiateMultipartUpload";
  if (method === "PUT" && query.has("uploadId")) return "UploadPart";
  if (method === "POST" && query.has("uploadId")) return "CompleteMultipartUpload";
  if (method === "PUT") return "PutObject";
  if (method === "GET") return "GetObject";
  return `${method} object`;
}
async function handleOss(ctx, req, res, requestId, faults) {
  try {
    faults();
    const { status, headers, body, file, size } = await operate(ctx, req, requestId);
    const length = file ? size ?? 0 : Buffer.byteLength(body);
    res.writeHead(status, { "x-oss-request-id": requestId, ...headers, "content-length": length });
    if (file) await pipeline3(createReadStream2(file), res);
    else res.end(body);
    return status;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const apiError = error instanceof ApiError ? error : ossError(500, "InternalError", `Internal error: ${error.message}`);
    const xml2 = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>${apiError.code}</Code>
  <Message>${escapeXml(apiError.message)}</Message>
  <RequestId>${requestId}</RequestId>
  <HostId>127.0.0.1</HostId>
</Error>
`;
    if (!req.readableEnded) res.setHeader("connection", "close");
    res.writeHead(apiError.status, { "content-type": "application/xml", "x-oss-request-id": requestId });
    res.end(xml2);
    return apiError.status;
  }
}
async function operate(ctx, req, requestId) {
  const url = new URL(req.url ?? "/", "http://oss");
  const method = req.method ?? "GET";
  const [, rawBucket = "", ...rest] = url.pathname.split("/");
  const bucket = decodeURIComponent(rawBucket);
  const key = rest.map(decodeURIComponent).join("/");
  const subresources = Object.fromEntries(url.searchParams);
  verify2(ctx, req, method, bucket, key, subresources);
  if (!ctx.objects.buckets.has(bucket))
    throw ossError(404, "NoSuchBucket", "The specified bucket does not exist.");
  if (!key) throw ossError(400, "InvalidObjectName", "The object name is empty.");
  const size = Number(req.headers["content-length"] ?? 0);
  if (size > MAX_PUT_BYTES)
    throw ossError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.");
  const { objects } = ctx;
  switch (ossAction(method, url.searchParams)) {
    case "PutObject": {
      const { etag, crc64: crc642 } = await objects.write(objects.file(bucket, key), req);
      return { status: 200, headers: { etag, "x-oss-hash-crc64ecma": crc642 }, body: "" };
    }
    case "InitiateMultipartUpload": {
      const uploadId = objects.startUpload(bucket, key);
      return xml(
        "InitiateMultipartUploadResult",
        `<Bucket>${escapeXml(bucket)}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${uploadId}</UploadId>`
      );
    }
    case "UploadPart": {
      const uploadId = subresources.uploadId ?? "";
      const partNumber = Number(subresources.partNumber);
      if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 1e4) {
        throw ossError(
          400,
          "InvalidArgument",
          "Part number must be an integer between 1 and 10000, inclusive."
        );
      }
      const upload = objects.upload(uploadId, bucket, key);
      const { etag, crc64: crc642 } = await objects.write(objects.partFile(uploadId, partNumber), req);
      upload.parts.set(partNumber, etag);
      return { status: 200, headers: { etag, "x-oss-hash-crc64ecma": crc642 }, body: "" };
    }
    case "CompleteMultipartUpload": {
      const parts = [
        ...(await readText(req)).matchAll(
          /<Part>\s*<PartNumber>(\d+)<\/PartNumber>\s*<ETag>([^<]+)<\/ETag>\s*<\/Part>/g
        )
      ].map(([, partNumber, etag2]) => ({
        partNumber: Number(partNumber),
        etag: etag2.replace(/&quot;/g, '"')
      }));
      if (parts.length === 0)
        throw ossError(400, "MalformedXML", "The XML you provided was not well-formed.");
      const { etag, crc64: crc642 } = await objects.complete(subresources.uploadId ?? "", bucket, key, parts);
      return {
        ...xml(
          "CompleteMultipartUploadResult",
          `<Location>/${escapeXml(bucket)}/${escapeXml(key)}</Location><Bucket>${escapeXml(bucket)}</Bucket><Key>${escapeXml(key)}</Key><ETag>${escapeXml(etag)}</ETag>`
        ),
        headers: {
          "content-type": "application/xml",
          "x-oss-hash-crc64ecma": crc642,
          "x-oss-request-id": requestId
        }
      };
    }
    case "GetObject": {
      const size2 = await objects.size(bucket, key);
      if (size2 === void 0) throw ossError(404, "NoSuchKey", "The specified key does not exist.");
      return {
        status: 200,
        headers: { "content-type": "application/zip" },
        body: "",
        file: objects.file(bucket, key),
        size: size2
      };
    }
    default:
      throw ossError(405, "MethodNotAllowed", `The emulator's code bucket does not serve ${method} here.`);
  }
}
function verify2(ctx, req, method, bucket, key, subresources) {
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(",") : value ?? ""
    ])
  );
  const match = /^OSS ([^:]+):(.+)$/.exec(headers.authorization ?? "");
  if (!match)
    throw ossError(
      400,
      "InvalidArgument",
      "Authorization header is invalid: only the OSS V1 signature is served."
    );
  const [, accessKeyId = "", signature] = match;
  let keyPair;
  try {
    keyPair = ctx.keys.resolve(accessKeyId, headers["x-oss-security-token"] || void 0);
  } catch (error) {
    throw ossError(403, error.code ?? "InvalidAccessKeyId", error.message);
  }
  if (!isFresh(headers["x-oss-date"] ?? headers.date ?? "")) {
    throw ossError(
      403,
      "RequestTimeTooSkewed",
      "The difference between the request time and the current time is too large."
    );
  }
  const stringToSign2 = ossStringToSign(method, headers, `/${bucket}/${key}`, subresources);
  if (ossAuthorization(keyPair, stringToSign2) !== `OSS ${accessKeyId}:${signature}`) {
    throw ossError(
      403,
      "SignatureDoesNotMatch",
      `The request signature we calculated does not match the signature you provided. StringToSign: ${stringToSign2}`
    );
  }
  const grant = ctx.grants.get(accessKeyId);
  if (!grant || grant.bucket !== bucket || !key.startsWith(grant.prefix)) {
    throw ossError(403, "AccessDenied", `You have no right to access oss://${bucket}/${key}.`);
  }
}
function xml(root, inner) {
  return {
    status: 200,
    headers: { "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="UTF-8"?>
<${root}>${inner}</${root}>
`
  };
}
async function readText(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
function escapeXml(text) {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// emulator/server.ts
var REQUEST_FAULTS = ["throttle", "server-error", "unavailable", "reset", "slow"];
function createControlServer(ctx) {
  const server = createServer3((req, res) => {
    void handle(ctx, req, res);
  });
  answerClientErrors(server);
  return server;
}
async function handle(ctx, req, res) {
  const requestId = newRequestId();
  const url = req.url ?? "/";
  const [path = "/", search = ""] = url.split(/\?(.*)/s);
  const method = req.method ?? "GET";
  const isSts = path === "/";
  let action = headerOf(req, "x-acs-action") ?? "";
  let slowMs = 0;
  let sent;
  let outcome;
  if (path.startsWith("/__emulator/")) return admin(ctx, req, res, method, path);
  if (isSlsRequest(req.headers)) return sls(ctx, req, res, path, search);
  if (isOssRequest(req)) return oss(ctx, req, res, method, path, requestId);
  const isFc = path.startsWith(FC_PREFIX);
  try {
    const body = await readBody(req, ctx.bodyLimit);
    const query = flatten(parseQuery(search));
    const signed = { method, path, query, headers: req.headers, body };
    if (isFc) {
      action = "GetTempBucketToken";
      slowMs = applyRequestFaults(ctx, action, req);
      outcome = { status: 200, ...handleFc(ctx.fc, req, method, path) };
    } else if (isSts) {
      const params = { ...query, ...formParams(req, body) };
      action = stsAction(params, action);
      slowMs = applyRequestFaults(ctx, action, req);
      const answer2 = action === DESCRIBE_TRACE_LICENSE_KEY ? handleArms(ctx.arms, params, signed, requestId) : handleSts(ctx.sts, action, params, signed);
      outcome = { action, status: 200, body: answer2 };
    } else {
      const call = matchRoute(method, path);
      if (!call) {
        throw new ApiError(
          404,
          "InvalidAction.NotFound",
          `Specified api is not found, please check your url and method: ${method} ${path}`
        );
      }
      if (action !== "" && action !== call.action) {
        throw badRequest(`x-acs-action ${action} does not match ${method} ${path} (${call.action})`);
      }
      action = call.action;
      const version = headerOf(req, "x-acs-version");
      if (version !== API_VERSION) {
        throw new ApiError(
          400,
          "InvalidVersion",
          `Specified version ${version ?? "(none)"} is not valid; use ${API_VERSION}`
        );
      }
      verifyAcs3(signed, ctx.keys, ctx.nonces);
      slowMs = applyRequestFaults(ctx, action, req);
      sent = jsonBody(req, body, BODY_ACTIONS.has(call.action));
      const data = await handleControl(ctx, call, query, sent);
      outcome = { action, status: 200, body: { code: "SUCCESS", requestId, data } };
    }
  } catch (error) {
    if (error === RESET) return record(ctx, action, method, path, 0, requestId);
    const apiError = toApiError(error);
    const body = isSts ? stsErrorBody(apiError, requestId) : isFc ? fcErrorBody(apiError) : { code: apiError.code, message: apiError.message, requestId };
    outcome = { action, status: apiError.status, body };
    if (!req.readableEnded) res.setHeader("connection", "close");
  }
  if (slowMs > 0) await sleep4(slowMs, void 0, { signal: ctx.shutdown }).catch(() => void 0);
  record(ctx, outcome.action, method, path, outcome.status, requestId, sent);
  sendJson(res, outcome.status, outcome.body, { [isFc ? "x-fc-request-id" : "x-acs-request-id"]: requestId });
}
async function oss(ctx, req, res, method, path, requestId) {
  const action = ossAction(method, new URL(req.url ?? "/", "http://oss").searchParams);
  let slowMs = 0;
  const status = await handleOss(ctx.oss, req, res, requestId, () => {
    slowMs = applyRequestFaults(ctx, action, req);
  }).catch((error) => {
    if (error === RESET) return 0;
    throw error;
  });
  if (slowMs > 0) await sleep4(slowMs, void 0, { signal: ctx.shutdown }).catch(() => void 0);
  record(ctx, action, method, path, status, requestId);
}
var RESET = /* @__PURE__ */ Symbol("connection reset");
async function sls(ctx, req, res, path, search) {
  const requestId = newRequestId();
  const method = req.method ?? "GET";
  let action = "SLS";
  let status = 200;
  let body;
  try {
    const raw = await readBody(req, ctx.bodyLimit);
    const query = flatten(parseQuery(search));
    verifySls({ method, path, query, headers: req.headers, body: raw }, ctx.keys);
    const json = raw.length ? JSON.parse(raw.toString("utf8")) : void 0;
    const call = { method, path, project: projectOfHost(req.headers.host), json };
    ({ action, body } = ctx.logs.handle(call));
  } catch (error) {
    const apiError = toApiError(error instanceof SyntaxError ? badRequest(error.message) : error);
    status = apiError.status;
    body = slsErrorBody(apiError);
  }
  record(ctx, action, method, path, status, requestId);
  if (body !== void 0) return sendJson(res, status, body, { "x-log-requestid": requestId });
  res.writeHead(status, { "content-length": "0", "x-log-requestid": requestId }).end();
}
async function admin(ctx, req, res, method, path) {
  try {
    const result = await handleAdmin(ctx, method, path, await readBody(req, ctx.bodyLimit));
    sendJson(res, result.status, result.body);
  } catch (error) {
    const apiError = toApiError(error);
    sendJson(res, apiError.status, {
      code: apiError.code,
      message: apiError.message,
      requestId: newRequestId()
    });
  }
}
function applyRequestFaults(ctx, action, req) {
  const rule = ctx.faults.take(action, REQUEST_FAULTS);
  switch (rule?.kind) {
    case "throttle":
      throw new ApiError(429, "Throttling", "Request was denied due to request throttling.");
    case "server-error":
      throw new ApiError(
        500,
        "ERR_INTERNAL_SERVER_ERROR",
        "The request processing has failed due to some unknown error."
      );
    case "unavailable":
      throw new ApiError(
        503,
        "ServiceUnavailable",
        "The request has failed due to a temporary failure of the server."
      );
    case "reset":
      req.socket.resetAndDestroy();
      throw RESET;
    case "slow":
      return FaultInjector.slowDelay(rule);
    default:
      return 0;
  }
}
function record(ctx, action, method, path, status, requestId, body) {
  const entry = { time: (/* @__PURE__ */ new Date()).toISOString(), action, method, path, status, requestId };
  if (body !== void 0) entry.body = withoutPackage(body);
  ctx.log.push(entry);
}
function withoutPackage(body) {
  const code = body.codeConfiguration;
  if (typeof code?.zipFile !== "string") return body;
  const zipFile = `(${code.zipFile.length} base64 characters)`;
  return { ...body, codeConfiguration: { ...code, zipFile } };
}
function jsonBody(req, body, required2) {
  if (body.length === 0) {
    if (required2) throw badRequest("The request body is required and must be a JSON object");
    return void 0;
  }
  const type = headerOf(req, "content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new ApiError(
      415,
      "ERR_BAD_REQUEST",
      `Content-Type must be application/json (got ${type || "none"})`
    );
  }
  let parsed;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${error.message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw badRequest("The request body must be a JSON object");
  }
  return parsed;
}
function formParams(req, body) {
  const type = headerOf(req, "content-type") ?? "";
  return /^application\/x-www-form-urlencoded\b/i.test(type) ? flatten(parseQuery(body.toString("utf8"))) : {};
}
function flatten(parsed) {
  const out = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (value !== void 0) out[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return out;
}
function headerOf(req, name) {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// emulator/index.ts
var DEFAULT_BODY_LIMIT = 100 * 1024 * 1024;
var DEFAULT_CODE_SIZE_LIMIT = 500 * 1024 * 1024;
async function startEmulator(options = {}) {
  const store = loadState(options.stateFile);
  const faults = await armedFaults(options.faults);
  const workDir = await mkdtemp(join3(tmpdir(), "agentrun-emulator-"));
  const accessKeys = options.accessKeys?.length ? options.accessKeys : [DEMO_KEY];
  const processes = new ProcessManager(workDir, options.startTimeoutMs ?? 2e4, options.runtimePorts);
  const keys = new KeyRing(accessKeys);
  const nonces = new NonceCache();
  const shutdown = new AbortController();
  const log = [];
  let dataPlaneUrl = "";
  const region = options.region ?? "cn-hangzhou";
  const accountId = options.accountId ?? "1000000000000001";
  const logs = new LogService(region, accountId);
  const objects = new ObjectStore(
    options.stateFile ? `${options.stateFile}.objects` : join3(workDir, "objects")
  );
  const grants = /* @__PURE__ */ new Map();
  const lifecycle = new Lifecycle({
    logs,
    store,
    processes,
    objects,
    delayMs: options.delayMs ?? 200,
    startProcesses: options.startProcesses ?? true,
    endpointUrl: (runtime, endpoint2) => endpointUrl(dataPlaneUrl, runtime.config.agentRuntimeName, endpoint2.name, workspaceOf(runtime))
  });
  const control = createControlServer({
    logs,
    store,
    lifecycle,
    faults,
    region,
    accountId,
    keys,
    nonces,
    sts: { keys, nonces, accountId, maxTokenTtlMs: options.maxStsTokenTtlMs },
    fc: {
      keys,
      objects,
      grants,
      accountId,
      region,
      codeSizeLimit: options.codeSizeLimit ?? DEFAULT_CODE_SIZE_LIMIT
    },
    oss: { objects, keys, grants },
    arms: { keys, nonces, accountId },
    objects,
    log,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    shutdown: shutdown.signal,
    reset: async () => {
      await processes.stopAll();
      store.clear();
      logs.clear();
      faults.clear();
      log.length = 0;
    }
  });
  const data = createDataPlane({ store, processes, faults });
  const release = async () => {
    await Promise.all([close(control), close(data.server)]);
    await rm3(workDir, { recursive: true, force: true });
  };
  let endpoint;
  try {
    endpoint = `http://127.0.0.1:${await listen(control, options.port ?? 0)}`;
    dataPlaneUrl = `http://127.0.0.1:${await listen(data.server, options.dataPort ?? 0)}`;
  } catch (error) {
    await release();
    throw error;
  }
  lifecycle.restore();
  let stopping;
  return {
    endpoint,
    dataPlaneUrl,
    credentials: { accessKeyId: accessKeys[0].accessKeyId, accessKeySecret: accessKeys[0].accessKeySecret },
    requestLog: () => [...log],
    faults: {
      inject: (rule) => faults.inject(parseFaultRules(rule)),
      clear: () => faults.clear(),
      list: () => faults.list()
    },
    processIds: () => processes.list().map((instance) => instance.pid),
    stop: () => stopping ??= (async () => {
      shutdown.abort();
      await Promise.all([lifecycle.stop(), processes.close()]);
      await store.flush();
      data.agent.destroy();
      await release();
    })()
  };
}
function loadState(file) {
  const store = new Store(file);
  try {
    store.load();
  } catch (error) {
    throw new Error(`--state ${file}: ${error.message}`);
  }
  return store;
}
async function armedFaults(source) {
  const faults = new FaultInjector();
  if (typeof source !== "string") {
    if (source !== void 0) faults.inject(parseFaultRules(source));
    return faults;
  }
  try {
    faults.inject(parseFaultRules(JSON.parse(await readFile(source, "utf8"))));
  } catch (error) {
    throw new Error(`--faults ${source}: ${error.message}`);
  }
  return faults;
}
function listen(server, port) {
  return new Promise((resolve2, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve2(server.address().port));
  });
}
function close(server) {
  return new Promise((resolve2) => {
    server.close(() => resolve2());
    server.closeAllConnections();
  });
}

// emulator/cli.ts
async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      "data-port": { type: "string" },
      state: { type: "string" },
      delay: { type: "string" },
      faults: { type: "string" },
      "runtime-ports": { type: "boolean" },
      "no-processes": { type: "boolean" }
    },
    strict: true
  });
  const number = (name, value) => {
    if (value === void 0) return void 0;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0)
      throw new Error(`--${name} must be a non-negative integer (got ${value})`);
    return parsed;
  };
  const emulator = await startEmulator({
    port: number("port", values.port),
    dataPort: number("data-port", values["data-port"]),
    delayMs: number("delay", values.delay),
    stateFile: values.state,
    faults: values.faults,
    runtimePorts: values["runtime-ports"],
    startProcesses: !values["no-processes"]
  });
  const stop = () => {
    emulator.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      }
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.stdout.write(
    [
      `control-plane: ${emulator.endpoint}`,
      `data-plane: ${emulator.dataPlaneUrl}`,
      `access-key-id: ${emulator.credentials.accessKeyId}`,
      `access-key-secret: ${emulator.credentials.accessKeySecret}`,
      ""
    ].join("\n")
  );
}
main().catch((error) => {
  console.error(`agentrun-emulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
