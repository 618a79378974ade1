/**
 * The SLS request signature (version 1, `Authorization: LOG <accessKeyId>:<signature>`), as
 * `@alicloud/gateway-sls` 0.3 computes it (`getSignature`, `buildCanonicalizedHeaders`,
 * `buildCanonicalizedResource`): HMAC-SHA256 of the method, Content-MD5, Content-Type, Date, every
 * `x-log-*`/`x-acs-*` header sorted by name, and the path with its sorted, unencoded query.
 */
import { createHash, createHmac } from 'node:crypto';

/** `x-log-signaturemethod`: the gateway signs with HMAC-SHA256 whenever it has a key. */
export const SIGNATURE_METHOD = 'hmac-sha256';

/** The string the signature covers; `headers` are lower-case names. */
export function stringToSign(
  method: string,
  path: string,
  query: Readonly<Record<string, string>>,
  headers: Readonly<Record<string, string>>,
): string {
  const signed = Object.keys(headers)
    .filter((name) => name.includes('x-log-') || name.includes('x-acs-'))
    .sort()
    .map((name) => `${name}:${headers[name]}\n`)
    .join('');
  const params = Object.keys(query)
    .sort()
    .map((name) => `${name}=${query[name]}`);
  const resource = params.length ? `${path}?${params.join('&')}` : path;
  const md5 = headers['content-md5'] ?? '';
  const type = headers['content-type'] ?? '';
  return `${method}\n${md5}\n${type}\n${headers.date ?? ''}\n${signed}${resource}`;
}

/** The base64 HMAC-SHA256 signature of `text`. */
export function sign(text: string, secret: string): string {
  return createHmac('sha256', secret).update(text, 'utf8').digest('base64');
}

/** Content-MD5 as the gateway sends it: upper-case hex of the body's MD5. */
export function contentMd5(body: Buffer): string {
  return createHash('md5').update(body).digest('hex').toUpperCase();
}
