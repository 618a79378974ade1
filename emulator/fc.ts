/**
 * Function Compute's GetTempBucketToken (`GET /2016-08-15/tempBucketToken`, as `@alicloud/fc2` calls it)
 * with FC's own signature check (`FC <AccessKeyId>:<signature>` over src/upload/fc.ts
 * `fcStringToSign`) and error body (`{ErrorCode, ErrorMessage}`, `x-fc-request-id`). It issues
 * temporary keys that may write only under `<account-id>/` of the code bucket (emulator/oss.ts), and
 * the answer has exactly the fields `@alicloud/fc2` reads (src/upload/fc.ts `tempBucketToken`).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  fcAuthorization,
  fcStringToSign,
  TEMP_BUCKET_TOKEN_PATH,
  type TempBucketToken,
} from '../src/upload/fc.js';
import { ApiError } from './errors.js';
import type { KeyRing } from './keys.js';
import type { ObjectStore, OssGrant } from './oss.js';
import { isFresh } from './signature.js';

/** FC API paths start with its version. */
export const FC_PREFIX = '/2016-08-15/';

export interface FcContext {
  keys: KeyRing;
  objects: ObjectStore;
  grants: Map<string, OssGrant>;
  accountId: string;
  region: string;
  /** Largest code package accepted, in bytes (`codeSizeLimit`). */
  codeSizeLimit: number;
}

/** How long the temporary keys last: long enough for a slow upload. */
const TOKEN_TTL_MS = 60 * 60 * 1000;

/** The code bucket of the emulator's region. */
export function codeBucket(region: string): string {
  return `fc-temp-code-${region}`;
}

/** Answers one FC request; throws ApiError (with FC's codes) for a refused one. */
export function handleFc(
  ctx: FcContext,
  req: IncomingMessage,
  method: string,
  path: string,
): { action: string; body: TempBucketToken } {
  if (method !== 'GET' || path !== TEMP_BUCKET_TOKEN_PATH) {
    throw new ApiError(
      404,
      'PathNotSupported',
      `The emulator serves only GET ${TEMP_BUCKET_TOKEN_PATH} of Function Compute.`,
    );
  }
  verify(ctx, req, method, path);
  const key = ctx.keys.issue(TOKEN_TTL_MS);
  const bucket = codeBucket(ctx.region);
  ctx.objects.buckets.add(bucket);
  ctx.grants.set(key.accessKeyId, { bucket, prefix: `${ctx.accountId}/` });
  return {
    action: 'GetTempBucketToken',
    body: {
      credentials: {
        AccessKeyId: key.accessKeyId,
        AccessKeySecret: key.accessKeySecret,
        SecurityToken: key.securityToken,
        Expiration: new Date(key.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
      ossBucket: bucket,
      objectName: `${randomUUID()}.zip`,
      ossRegion: `oss-${ctx.region}`,
      codeSizeLimit: ctx.codeSizeLimit,
    },
  };
}

/** The FC signature, date and account checks, with FC's error codes. */
function verify(ctx: FcContext, req: IncomingMessage, method: string, path: string): void {
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(',') : (value ?? ''),
    ]),
  );
  const match = /^FC ([^:]+):(.+)$/.exec(headers.authorization ?? '');
  if (!match)
    throw new ApiError(
      403,
      'SignatureNotMatch',
      'The Authorization header is missing or not FC <AccessKeyId>:<Signature>.',
    );
  const [, accessKeyId = ''] = match;
  if (!isFresh(headers.date ?? '')) {
    throw new ApiError(
      403,
      'RequestTimeTooSkewed',
      `The Date header ${headers.date ?? '(none)'} is not within 15 minutes of the server time.`,
    );
  }
  if (headers['x-fc-account-id'] !== ctx.accountId) {
    throw new ApiError(
      403,
      'AccessDenied',
      `x-fc-account-id ${headers['x-fc-account-id'] ?? '(none)'} is not the account of these credentials.`,
    );
  }
  const key = ctx.keys.resolve(accessKeyId, headers['x-fc-security-token'] || undefined);
  const stringToSign = fcStringToSign(method, path, headers);
  if (fcAuthorization(key, stringToSign) !== headers.authorization) {
    throw new ApiError(
      403,
      'SignatureNotMatch',
      `The request signature does not match. String to sign: ${JSON.stringify(stringToSign)}`,
    );
  }
}

/** FC's error body. */
export function fcErrorBody(error: ApiError): object {
  return { ErrorCode: error.code, ErrorMessage: error.message };
}
