/**
 * The OSS requests a code upload needs, over plain HTTP(S): PutObject, and InitiateMultipartUpload →
 * UploadPart → CompleteMultipartUpload for large packages. Signed with OSS's header signature (V1,
 * HMAC-SHA1) exactly as the official `ali-oss` client signs them (`lib/common/signUtils.js`
 * `buildCanonicalString`, `lib/common/utils/createRequest.js`), which a test checks against `ali-oss`
 * itself. Written here rather than bundling `ali-oss` and its dependencies for four requests.
 */
import { createHmac } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isIP } from 'node:net';
import { toAgentRunError } from '../agentrun/errors.js';
import type { ApiCredentials } from '../agentrun/client.js';
import { header, send, type HttpAnswer } from './http.js';

/** Query parameters that are part of what OSS signs (the subresources this client uses). */
export const SIGNED_SUBRESOURCES: readonly string[] = ['partNumber', 'uploadId', 'uploads'];

/**
 * What an OSS request signs: method, Content-MD5, Content-Type, the date (`x-oss-date`, which `ali-oss`
 * sends instead of `Date`), the `x-oss-*` headers (lower-case, sorted, `name:value` lines) and
 * `/<bucket>/<object>` with the signed subresources sorted (`?partNumber=1&uploadId=…`, `?uploads`).
 * `headers` has lower-case names; the object name is the raw one, not URL-encoded.
 */
export function ossStringToSign(
  method: string,
  headers: Record<string, string>,
  resource: string,
  subresources: Record<string, string>,
): string {
  const ossHeaders = Object.keys(headers)
    .filter((name) => name.startsWith('x-oss-'))
    .sort()
    .map((name) => `${name}:${headers[name]!.trim()}`);
  const query = Object.keys(subresources)
    .filter((name) => SIGNED_SUBRESOURCES.includes(name))
    .sort()
    .map((name) => (subresources[name] ? `${name}=${subresources[name]}` : name))
    .join('&');
  return [
    method,
    headers['content-md5'] ?? '',
    headers['content-type'] ?? '',
    headers['x-oss-date'] ?? headers.date ?? '',
    ...ossHeaders,
    `${resource}${query ? `?${query}` : ''}`,
  ].join('\n');
}

/** `OSS <AccessKeyId>:<base64 HMAC-SHA1 of the string to sign>`. */
export function ossAuthorization(credentials: ApiCredentials, stringToSign: string): string {
  const signature = createHmac('sha1', credentials.accessKeySecret)
    .update(stringToSign, 'utf8')
    .digest('base64');
  return `OSS ${credentials.accessKeyId}:${signature}`;
}

/** One finished part of a multipart upload. */
export interface UploadedPart {
  partNumber: number;
  etag: string;
}

/** A byte range of a local file, the body of one request. */
export interface FileRange {
  file: string;
  start: number;
  bytes: number;
}

/** Requests to one bucket with one set of (temporary) keys. */
export class OssClient {
  private readonly base: URL;
  /** `bucket.host` on OSS's own domains; `host/bucket/…` elsewhere (an IP address, a local emulator). */
  private readonly virtualHosted: boolean;

  constructor(
    private readonly options: {
      endpoint: string;
      bucket: string;
      credentials: ApiCredentials;
      timeoutMs: number;
    },
  ) {
    this.base = new URL(options.endpoint);
    this.virtualHosted = isIP(this.base.hostname) === 0 && this.base.hostname.endsWith('.aliyuncs.com');
  }

  /** PutObject: the whole file in one request. */
  async put(key: string, body: FileRange): Promise<void> {
    await this.call('PutObject', 'PUT', key, {}, body);
  }

  /** InitiateMultipartUpload; returns the upload id. */
  async initiate(key: string): Promise<string> {
    const answer = await this.call('InitiateMultipartUpload', 'POST', key, { uploads: '' });
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(answer.body.toString('utf8'))?.[1];
    if (!uploadId) throw toAgentRunError('InitiateMultipartUpload', new Error('the answer has no UploadId'));
    return uploadId;
  }

  /** UploadPart; returns the part's ETag. */
  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: FileRange,
  ): Promise<UploadedPart> {
    const answer = await this.call(
      'UploadPart',
      'PUT',
      key,
      { partNumber: String(partNumber), uploadId },
      body,
    );
    const etag = header(answer.headers, 'etag');
    if (!etag) throw toAgentRunError('UploadPart', new Error('the answer has no ETag'));
    return { partNumber, etag };
  }

  /** CompleteMultipartUpload with every part, in order. */
  async complete(key: string, uploadId: string, parts: readonly UploadedPart[]): Promise<void> {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload>\n' +
      parts
        .map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${p.etag}</ETag></Part>\n`)
        .join('') +
      '</CompleteMultipartUpload>';
    await this.call(
      'CompleteMultipartUpload',
      'POST',
      key,
      { uploadId },
      Buffer.from(xml),
      'application/xml',
    );
  }

  private async call(
    action: string,
    method: string,
    key: string,
    subresources: Record<string, string>,
    body?: FileRange | Buffer,
    contentType = body === undefined ? '' : 'application/octet-stream',
  ): Promise<HttpAnswer> {
    const { bucket, credentials } = this.options;
    const path = `/${key.split('/').map(encodeURIComponent).join('/')}`;
    const url = new URL(this.virtualHosted ? path : `/${encodeURIComponent(bucket)}${path}`, this.base);
    if (this.virtualHosted) url.host = `${bucket}.${this.base.host}`;
    for (const [name, value] of Object.entries(subresources)) url.searchParams.set(name, value);
    const length = body === undefined ? 0 : Buffer.isBuffer(body) ? body.length : body.bytes;
    const headers: Record<string, string> = {
      'x-oss-date': new Date().toUTCString(),
      'content-length': String(length),
      ...(contentType && { 'content-type': contentType }),
      ...(credentials.securityToken && { 'x-oss-security-token': credentials.securityToken }),
    };
    headers.authorization = ossAuthorization(
      credentials,
      ossStringToSign(method, headers, `/${bucket}/${key}`, subresources),
    );
    const stream =
      body === undefined || Buffer.isBuffer(body)
        ? body
        : createReadStream(body.file, { start: body.start, end: body.start + body.bytes - 1 });
    let answer: HttpAnswer;
    try {
      answer = await send(url, { method, headers, body: stream, timeoutMs: this.options.timeoutMs });
    } catch (error) {
      throw toAgentRunError(action, error);
    }
    if (answer.status >= 200 && answer.status < 300) return answer;
    const xml = answer.body.toString('utf8');
    const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
    throw toAgentRunError(action, {
      statusCode: answer.status,
      code: field('Code'),
      data: {
        message: field('Message') ?? `HTTP ${answer.status}`,
        requestId: field('RequestId') ?? header(answer.headers, 'x-oss-request-id'),
      },
    });
  }
}
