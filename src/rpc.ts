/**
 * One signed (or anonymous) call of an Alibaba Cloud RPC-style operation: POST `/`, the parameters in
 * the query, a form body, a JSON answer. STS and ARMS are both reached this way; each caller turns the
 * client's error into its own message.
 */
import OpenApi from '@alicloud/openapi-client';
import type { ApiCredentials } from './agentrun/client.js';
import { parseEndpoint } from './endpoint.js';

// A CommonJS package whose `exports.default` is the client class: ESM sees the whole exports object.
const OpenApiClient = OpenApi.default;
type RuntimeOptions = Parameters<InstanceType<typeof OpenApiClient>['callApi']>[2];

export interface RpcCall {
  /** A host name, or a full URL such as `http://127.0.0.1:9000`. */
  endpoint: string;
  action: string;
  version: string;
  /** Absent: an anonymous call, whose proof travels in its parameters (AssumeRoleWithOIDC). */
  credentials?: ApiCredentials;
  query?: Record<string, string>;
  /** Sent as the form body, so that it never appears in a URL. */
  body?: Record<string, string>;
  regionId?: string;
  /** `v2`: the classic RPC signature (Action, Version, Timestamp in the query) that STS documents. */
  signatureAlgorithm?: 'v2';
  timeoutMs: { connect: number; read: number };
}

/** The answer's JSON body. Not retried: the callers' failures are not ones a repeat mends. */
export async function callRpc(call: RpcCall): Promise<unknown> {
  const { protocol, host } = parseEndpoint(call.endpoint);
  const client = new OpenApiClient(
    new OpenApi.Config({
      ...call.credentials,
      endpoint: host,
      protocol,
      ...(call.regionId && { regionId: call.regionId }),
      ...(call.signatureAlgorithm && { signatureAlgorithm: call.signatureAlgorithm }),
      connectTimeout: call.timeoutMs.connect,
      readTimeout: call.timeoutMs.read,
      userAgent: 'agentrun-deploy',
    }),
  );
  const params = new OpenApi.Params({
    action: call.action,
    version: call.version,
    protocol,
    pathname: '/',
    method: 'POST',
    authType: call.credentials ? 'AK' : 'Anonymous',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const request = new OpenApi.OpenApiRequest({
    query: call.query ?? {},
    ...(call.body && { body: call.body }),
  });
  // The runtime options are a tea Model only by type; the client reads plain fields from it.
  const { body } = await client.callApi(params, request, { autoretry: false } as RuntimeOptions);
  return body;
}
