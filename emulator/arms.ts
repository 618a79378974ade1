/**
 * ARMS' DescribeTraceLicenseKey (2019-08-08), as `@alicloud/arms20190808` sends it through
 * `@alicloud/openapi-client`: an RPC call on `/` signed with ACS3-HMAC-SHA256 (or the RPC HMAC-SHA1
 * query signature), answered `{RequestId, LicenseKey}` (`DescribeTraceLicenseKeyResponseBody`). The
 * key is the account's: the same on every call.
 */
import { createHash } from 'node:crypto';
import { ARMS_VERSION, DESCRIBE_TRACE_LICENSE_KEY } from '../src/arms/licence.js';
import { ApiError } from './errors.js';
import type { KeyRing } from './keys.js';
import { verifyAcs3, verifyRpcV1, type NonceCache, type SignedRequest } from './signature.js';

export { DESCRIBE_TRACE_LICENSE_KEY };

export interface ArmsContext {
  keys: KeyRing;
  nonces: NonceCache;
  accountId: string;
}

/** The licence key of an account, shaped like the documented example (`b590lhguqs@3a75d95f218****`). */
export function licenceKeyOf(accountId: string): string {
  const digest = createHash('sha256').update(accountId).digest('hex');
  return `${digest.slice(0, 10)}@${digest.slice(10, 25)}`;
}

export function handleArms(
  ctx: ArmsContext,
  params: Record<string, string>,
  req: SignedRequest,
  requestId: string,
): Record<string, string> {
  const version = params.Version ?? (req.headers['x-acs-version'] as string | undefined);
  if (version !== ARMS_VERSION) {
    throw new ApiError(
      400,
      'InvalidVersion',
      `Specified parameter Version is not valid: ${version ?? '(none)'}.`,
    );
  }
  if (req.headers.authorization !== undefined) verifyAcs3(req, ctx.keys, ctx.nonces);
  else verifyRpcV1(req.method, params, ctx.keys, ctx.nonces);
  return { RequestId: requestId, LicenseKey: licenceKeyOf(ctx.accountId) };
}
