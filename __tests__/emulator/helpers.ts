// Test helpers: an official-client caller, a tiny zip writer and polling.
import OpenApiModule, { Config, OpenApiRequest, Params } from '@alicloud/openapi-client';
import { RuntimeOptions } from '@alicloud/tea-util';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { crc32 } from 'node:zlib';
import type { Emulator } from '../../emulator/index.js';

// CommonJS interop: under NodeNext the default import is module.exports, whose `default` is the class.
const OpenApiClient = OpenApiModule.default;

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface CallOptions {
  body?: unknown;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Send `body` as raw bytes (for malformed-input tests). */
  raw?: boolean;
  readTimeout?: number;
}

/** The success body of an AgentRun call. */
export interface Envelope<T = Record<string, unknown>> {
  code: string;
  requestId: string;
  data: T;
}

/** Calls the emulator through the official `@alicloud/openapi-client`, exactly as the action does. */
export function agentRun(emulator: Emulator | string, credentials?: Credentials) {
  const endpoint = typeof emulator === 'string' ? emulator : emulator.endpoint;
  const keys = credentials ?? (emulator as Emulator).credentials;
  const client = new OpenApiClient(
    new Config({ ...keys, endpoint: endpoint.replace('http://', ''), protocol: 'http', readTimeout: 10_000 }),
  );
  return async <T = Record<string, unknown>>(
    action: string,
    method: string,
    pathname: string,
    options: CallOptions = {},
  ): Promise<Envelope<T>> => {
    const params = new Params({
      action,
      version: '2025-09-10',
      protocol: 'HTTP',
      pathname,
      method,
      authType: 'AK',
      style: 'ROA',
      reqBodyType: options.raw ? 'byte' : 'json',
      bodyType: 'json',
    });
    const request = new OpenApiRequest({
      body: options.body,
      query: options.query,
      headers: options.headers,
    });
    const runtime = new RuntimeOptions({ readTimeout: options.readTimeout });
    const response = await client.callApi(params, request, runtime);
    return response.body as Envelope<T>;
  };
}

/** Calls an STS action (RPC style) through the official client; anonymous unless credentials given. */
export async function sts(
  endpoint: string,
  action: string,
  query: Record<string, string>,
  credentials?: Credentials,
): Promise<Record<string, unknown>> {
  const client = new OpenApiClient(
    new Config({ ...(credentials ?? {}), endpoint: endpoint.replace('http://', ''), protocol: 'http' }),
  );
  const params = new Params({
    action,
    version: '2015-04-01',
    protocol: 'HTTP',
    pathname: '/',
    method: 'POST',
    authType: credentials ? 'AK' : 'Anonymous',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const response = await client.callApi(params, new OpenApiRequest({ query }), new RuntimeOptions({}));
  return response.body as Record<string, unknown>;
}

/** The error the official client throws, with the fields tests look at. */
export interface ClientError {
  code: string;
  statusCode: number;
  message: string;
  data: Record<string, unknown>;
}

/** Runs `call`, expects it to throw, and returns the error. */
export async function failure(call: Promise<unknown>): Promise<ClientError> {
  try {
    await call;
  } catch (error) {
    return error as ClientError;
  }
  throw new Error('expected the call to fail');
}

/** A stored (uncompressed) zip; names are written verbatim, so hostile ones are possible. */
export function zip(files: Record<string, string | Buffer>, mode = 0o644): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The example Python agent, zipped. */
export const pythonAgentZip = (): Buffer =>
  zip({ 'main.py': readFileSync(new URL('../../examples/code/main.py', import.meta.url)) });

/** A minimal CreateAgentRuntime body around `zipFile`. */
export function runtimeBody(
  name: string,
  code: Buffer,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    agentRuntimeName: name,
    artifactType: 'Code',
    codeConfiguration: {
      language: 'python3.12',
      command: ['python3', 'main.py'],
      zipFile: code.toString('base64'),
    },
    cpu: 1,
    memory: 2048,
    port: 8000,
    networkConfiguration: { networkMode: 'PUBLIC' },
    ...extra,
  };
}

/** An UpdateAgentRuntime body from a `runtimeBody`: the same configuration without the package (kept). */
export function withoutPackage(body: Record<string, unknown>): Record<string, unknown> {
  const code = body.codeConfiguration as Record<string, unknown>;
  return { ...body, codeConfiguration: { ...code, zipFile: undefined, checksum: undefined } };
}

/** Polls `read` until `done` holds (or fails after `timeoutMs`), returning the last value. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await sleep(25);
  }
}
