/**
 * Server side of the two Alibaba Cloud request signatures the official clients send:
 * ACS3-HMAC-SHA256 (header `Authorization`, what `@alicloud/openapi-client` uses for every call) and
 * the RPC HMAC-SHA1 query signature (what `@alicloud/credentials` uses for STS AssumeRole). Both mirror
 * `@alicloud/openapi-util` / `@alicloud/credentials` exactly, so a correct client always passes.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './errors.js';
import type { AccessKey, KeyRing } from './keys.js';

/** The parts of an HTTP request a signature covers. */
export interface SignedRequest {
  method: string;
  /** The raw path as sent, without the query string. */
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const ALGORITHM = 'ACS3-HMAC-SHA256';
/** How far x-acs-date may be from the emulator's clock, as on the real gateway. */
const MAX_SKEW_MS = 15 * 60 * 1000;
const STRING_TO_SIGN_HINT =
  'Specified signature is not matched with our calculation. server string to sign is:';

/** Percent-encoding of the Alibaba Cloud signature specs (RFC 3986 plus `!'()*`). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Remembers signature nonces for the skew window, so a captured request cannot be replayed. */
export class NonceCache {
  private readonly seen = new Map<string, number>();

  /** Throws if `nonce` was used within the window. */
  use(nonce: string): void {
    const now = Date.now();
    for (const [old, at] of this.seen) if (now - at > MAX_SKEW_MS) this.seen.delete(old);
    if (this.seen.has(nonce)) {
      throw new ApiError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    }
    this.seen.set(nonce, now);
  }
}

/** Verifies an ACS3-HMAC-SHA256 request and returns the key that signed it. */
export function verifyAcs3(req: SignedRequest, keys: KeyRing, nonces: NonceCache): AccessKey {
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  const authorization = header('authorization');
  const match = authorization?.match(
    /^(\S+) Credential=([^,]+),SignedHeaders=([^,]*),Signature=([0-9a-f]+)$/,
  );
  if (!authorization || !match) {
    throw incomplete(
      'the Authorization header is missing or not of the form "ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…"',
    );
  }
  const [, algorithm, accessKeyId, signedList, signature] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (algorithm !== ALGORITHM) {
    throw new ApiError(
      400,
      'InvalidParameter.SignatureAlgorithm',
      `Unsupported signature algorithm ${algorithm}.`,
    );
  }
  const signedHeaders = signedList.split(';');
  const unsigned = Object.keys(req.headers).filter(
    (name) => (name.startsWith('x-acs-') || name === 'host') && !signedHeaders.includes(name),
  );
  if (unsigned.length > 0) throw incomplete(`headers ${unsigned.join(', ')} must be signed`);
  for (const required of ['x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
    if (!header(required)) throw incomplete(`the ${required} header is required`);
  }
  checkDate(header('x-acs-date')!);

  const key = keys.resolve(accessKeyId, header('x-acs-security-token'));
  const bodyHash = createHash('sha256').update(req.body).digest('hex');
  if (header('x-acs-content-sha256') !== bodyHash) {
    throw new ApiError(
      400,
      'SignatureDoesNotMatch',
      `The x-acs-content-sha256 header does not match the request body (body hash ${bodyHash}).`,
    );
  }
  const canonicalQuery = Object.keys(req.query)
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(req.query[name]!)}`)
    .join('&');
  const canonicalHeaders = [...signedHeaders]
    .sort()
    .map((name) => `${name}:${(header(name) ?? '').trim()}\n`)
    .join('');
  const canonicalRequest = [
    req.method,
    // The client canonicalises its path with these single (not global) replacements; mirror them.
    req.path.replace('+', '%20').replace('*', '%2A').replace('%7E', '~'),
    canonicalQuery,
    canonicalHeaders,
    [...signedHeaders].sort().join(';'),
    header('x-acs-content-sha256'),
  ].join('\n');
  const stringToSign = `${ALGORITHM}\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const expected = createHmac('sha256', key.accessKeySecret).update(stringToSign).digest('hex');
  if (!sameText(expected, signature)) {
    throw new ApiError(400, 'SignatureDoesNotMatch', `${STRING_TO_SIGN_HINT}${stringToSign}`);
  }
  nonces.use(header('x-acs-signature-nonce')!);
  return key;
}

/**
 * Verifies an RPC request signed with `SignatureMethod=HMAC-SHA1` (parameters from query and form
 * body together, `Signature` among them) and returns the signing key.
 */
export function verifyRpcV1(
  method: string,
  params: Record<string, string>,
  keys: KeyRing,
  nonces: NonceCache,
): AccessKey {
  for (const name of ['AccessKeyId', 'Signature', 'SignatureNonce', 'Timestamp']) {
    if (!params[name]) throw new ApiError(400, `Missing${name}`, `${name} is mandatory for this action.`);
  }
  if (params.SignatureMethod !== 'HMAC-SHA1') {
    throw new ApiError(400, 'InvalidParameter', 'The specified parameter "SignatureMethod" is not valid.');
  }
  checkDate(params.Timestamp!);
  const key = keys.resolve(params.AccessKeyId!, params.SecurityToken);
  const canonical = Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name]!)}`)
    .join('&');
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  const expected = createHmac('sha1', `${key.accessKeySecret}&`).update(stringToSign).digest('base64');
  if (!sameText(expected, params.Signature!)) {
    throw new ApiError(400, 'SignatureDoesNotMatch', `${STRING_TO_SIGN_HINT}${stringToSign}`);
  }
  nonces.use(params.SignatureNonce!);
  return key;
}

/** Whether an HTTP date (`Date`, `x-oss-date`) is within the skew the real services allow. */
export function isFresh(httpDate: string): boolean {
  const time = Date.parse(httpDate);
  return !Number.isNaN(time) && Math.abs(Date.now() - time) <= MAX_SKEW_MS;
}

function checkDate(value: string): void {
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value) || Number.isNaN(time)) {
    throw new ApiError(
      400,
      'InvalidTimeStamp.Format',
      `Specified time stamp or date value is not well formatted: ${value}.`,
    );
  }
  if (Math.abs(Date.now() - time) > MAX_SKEW_MS) {
    throw new ApiError(
      400,
      'InvalidTimeStamp.Expired',
      `Specified time stamp or date value is expired: ${value}.`,
    );
  }
}

function incomplete(detail: string): ApiError {
  return new ApiError(
    400,
    'IncompleteSignature',
    `The request signature does not conform to Aliyun standards: ${detail}.`,
  );
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
