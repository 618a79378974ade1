/**
 * Function Compute's temporary code bucket, as devsapp/agentrun gets it (`src/impl/agentrun.ts`
 * `uploadCodeToTmpOss` → `@alicloud/fc2` `getTempBucketToken()`): `GET /2016-08-15/tempBucketToken` on
 * `https://<account-id>.<region>.fc.aliyuncs.com`, signed the FC way (`@alicloud/fc2` `lib/client.js`
 * `buildHeaders`/`getSignature`, `lib/helper.js` `composeStringToSign`). The answer's fields are those
 * `@alicloud/fc2` reads: STS keys limited to the bucket, the bucket, an object name to put the code
 * under (prefixed with the account id), and the largest package Function Compute accepts.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { AgentRunError, toAgentRunError } from '../agentrun/errors.js';
import type { ApiCredentials } from '../agentrun/client.js';
import { header, send } from './http.js';

export const FC_API_VERSION = '2016-08-15';
export const TEMP_BUCKET_TOKEN_PATH = `/${FC_API_VERSION}/tempBucketToken`;
const ACTION = 'GetTempBucketToken';

/** The answer of GetTempBucketToken; FC may add fields, which are ignored. */
export const tempBucketToken = z.looseObject({
  credentials: z.looseObject({
    AccessKeyId: z.string(),
    AccessKeySecret: z.string(),
    SecurityToken: z.string(),
    Expiration: z.string().optional(),
  }),
  ossBucket: z.string(),
  objectName: z.string(),
  ossRegion: z.string().optional(),
  /** Bytes; `@alicloud/fc2` refuses a larger package before uploading it. */
  codeSizeLimit: z.number().optional(),
});
export type TempBucketToken = z.infer<typeof tempBucketToken>;

/** The FC API host of an account in a region. */
export function fcEndpoint(accountId: string, region: string): string {
  return `https://${accountId}.${region}.fc.aliyuncs.com`;
}

/**
 * What an FC request signs: method, Content-MD5, Content-Type, Date, the `x-fc-*` headers (lower-case,
 * sorted, `name:value` lines) and the path. `headers` has lower-case names.
 */
export function fcStringToSign(method: string, path: string, headers: Record<string, string>): string {
  const fcHeaders = Object.keys(headers)
    .filter((name) => name.startsWith('x-fc-'))
    .sort()
    .map((name) => `${name}:${headers[name]}\n`)
    .join('');
  const field = (name: string) => headers[name] ?? '';
  return `${method}\n${field('content-md5')}\n${field('content-type')}\n${field('date')}\n${fcHeaders}${path}`;
}

/** `FC <AccessKeyId>:<base64 HMAC-SHA256 of the string to sign>`. */
export function fcAuthorization(credentials: ApiCredentials, stringToSign: string): string {
  const signature = createHmac('sha256', credentials.accessKeySecret)
    .update(stringToSign, 'utf8')
    .digest('base64');
  return `FC ${credentials.accessKeyId}:${signature}`;
}

/** Asks Function Compute for a temporary place to upload a code package. */
export async function getTempBucketToken(options: {
  endpoint: string;
  accountId: string;
  credentials: ApiCredentials;
  timeoutMs: number;
}): Promise<TempBucketToken> {
  const url = new URL(TEMP_BUCKET_TOKEN_PATH, options.endpoint);
  const headers: Record<string, string> = {
    accept: 'application/json',
    date: new Date().toUTCString(),
    host: url.host,
    'x-fc-account-id': options.accountId,
    ...(options.credentials.securityToken && { 'x-fc-security-token': options.credentials.securityToken }),
  };
  headers.authorization = fcAuthorization(options.credentials, fcStringToSign('GET', url.pathname, headers));
  let answer;
  try {
    answer = await send(url, { method: 'GET', headers, timeoutMs: options.timeoutMs });
  } catch (error) {
    throw toAgentRunError(ACTION, error);
  }
  const body = parseJson(answer.body);
  if (answer.status < 200 || answer.status >= 300) {
    const failure = (body ?? {}) as { ErrorCode?: string; ErrorMessage?: string };
    throw toAgentRunError(ACTION, {
      statusCode: answer.status,
      code: failure.ErrorCode,
      data: { message: failure.ErrorMessage, requestId: header(answer.headers, 'x-fc-request-id') },
    });
  }
  const parsed = tempBucketToken.safeParse(body);
  if (!parsed.success)
    throw new AgentRunError('Server', ACTION, 'the answer has no credentials, ossBucket or objectName');
  return parsed.data;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
