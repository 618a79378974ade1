/**
 * An OSS-compatible object store for code packages: the temporary code bucket that Function Compute's
 * GetTempBucketToken hands out (emulator/fc.ts), with PutObject and the multipart upload
 * (InitiateMultipartUpload, UploadPart, CompleteMultipartUpload) as OSS's API reference defines them:
 * path-style `/<bucket>/<object>` addressing, XML answers and errors (`<Error><Code>…`), ETags as the
 * quoted upper-case MD5, `x-oss-hash-crc64ecma`, and the V1 header signature checked as OSS checks it
 * (src/upload/oss.ts `ossStringToSign`, which a test holds to the official `ali-oss` client). Bodies are
 * streamed to disk, never held in memory. Objects live in files under the emulator's directory.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Crc64 } from '../src/package/crc64.js';
import { ossAuthorization, ossStringToSign } from '../src/upload/oss.js';
import { ApiError } from './errors.js';
import type { KeyRing } from './keys.js';
import { isFresh } from './signature.js';

/** Where temporary keys may write: FC's keys are limited to the code bucket and the account's prefix. */
export interface OssGrant {
  bucket: string;
  prefix: string;
}

export interface OssContext {
  objects: ObjectStore;
  keys: KeyRing;
  /** The grant of each temporary key FC issued, by access key id. */
  grants: Map<string, OssGrant>;
}

/** Largest single PutObject or part, as OSS documents it (5 GiB). */
const MAX_PUT_BYTES = 5 * 1024 ** 3;

/** Objects and unfinished multipart uploads, in files. */
export class ObjectStore {
  readonly buckets = new Set<string>();
  private readonly uploads = new Map<string, { bucket: string; key: string; parts: Map<number, string> }>();

  constructor(private readonly dir: string) {}

  /** The file holding an object (whether or not it exists). */
  file(bucket: string, key: string): string {
    return join(this.dir, encodeURIComponent(bucket), encodeURIComponent(key));
  }

  /** The object's size, or undefined when there is none. */
  async size(bucket: string, key: string): Promise<number | undefined> {
    return (await stat(this.file(bucket, key)).catch(() => undefined))?.size;
  }

  /** Streams `body` into the object (or a part), returning its MD5 ETag and CRC-64. */
  async write(target: string, body: NodeJS.ReadableStream): Promise<{ etag: string; crc64: string }> {
    await mkdir(join(target, '..'), { recursive: true });
    const md5 = createHash('md5');
    const crc = new Crc64();
    const temp = `${target}.${randomUUID()}.tmp`;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        md5.update(chunk);
        crc.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, hashing, createWriteStream(temp));
      await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
    return { etag: `"${md5.digest('hex').toUpperCase()}"`, crc64: crc.digest() };
  }

  startUpload(bucket: string, key: string): string {
    const uploadId = randomUUID().replace(/-/g, '').toUpperCase();
    this.uploads.set(uploadId, { bucket, key, parts: new Map() });
    return uploadId;
  }

  upload(uploadId: string, bucket: string, key: string) {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.bucket !== bucket || upload.key !== key) {
      throw ossError(404, 'NoSuchUpload', 'The specified upload does not exist.');
    }
    return upload;
  }

  partFile(uploadId: string, partNumber: number): string {
    return join(this.dir, '.uploads', uploadId, String(partNumber));
  }

  /** Joins the listed parts into the object, checking each ETag; the upload is gone afterwards. */
  async complete(
    uploadId: string,
    bucket: string,
    key: string,
    parts: { partNumber: number; etag: string }[],
  ) {
    const upload = this.upload(uploadId, bucket, key);
    for (const [i, part] of parts.entries()) {
      if (i > 0 && part.partNumber <= parts[i - 1]!.partNumber) {
        throw ossError(400, 'InvalidPartOrder', 'The list of parts was not in ascending order.');
      }
      if (upload.parts.get(part.partNumber) !== part.etag) {
        throw ossError(
          400,
          'InvalidPart',
          `Part ${part.partNumber} was not uploaded, or its ETag does not match.`,
        );
      }
    }
    const files = parts.map((part) => this.partFile(uploadId, part.partNumber));
    async function* joined() {
      for (const file of files) yield* createReadStream(file);
    }
    const written = await this.write(this.file(bucket, key), joined() as unknown as NodeJS.ReadableStream);
    this.uploads.delete(uploadId);
    await rm(join(this.dir, '.uploads', uploadId), { recursive: true, force: true });
    return written;
  }
}

/** An OSS error: its HTTP status and code, answered as OSS's XML error document. */
export function ossError(status: number, code: string, message: string): ApiError {
  return new ApiError(status, code, message);
}

/** Whether a request is meant for OSS: it carries an OSS signature. */
export function isOssRequest(req: IncomingMessage): boolean {
  return /^OSS4?[ -]/.test(req.headers.authorization ?? '');
}

/** The OSS operation a request is, for the request log and fault rules. */
export function ossAction(method: string, query: URLSearchParams): string {
  if (method === 'POST' && query.has('uploads')) return 'InitiateMultipartUpload';
  if (method === 'PUT' && query.has('uploadId')) return 'UploadPart';
  if (method === 'POST' && query.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'PUT') return 'PutObject';
  if (method === 'GET') return 'GetObject';
  return `${method} object`;
}

/** Serves one OSS request; answers errors as OSS's XML. Resolves to the HTTP status sent. */
export async function handleOss(
  ctx: OssContext,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  faults: () => void,
): Promise<number> {
  try {
    faults();
    const { status, headers, body, file, size } = await operate(ctx, req, requestId);
    const length = file ? (size ?? 0) : Buffer.byteLength(body);
    res.writeHead(status, { 'x-oss-request-id': requestId, ...headers, 'content-length': length });
    if (file) await pipeline(createReadStream(file), res);
    else res.end(body);
    return status;
  } catch (error) {
    // A connection reset by a fault has no answer.
    if (!(error instanceof Error)) throw error;
    const apiError =
      error instanceof ApiError
        ? error
        : ossError(500, 'InternalError', `Internal error: ${(error as Error).message}`);
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n' +
      `  <Code>${apiError.code}</Code>\n  <Message>${escapeXml(apiError.message)}</Message>\n` +
      `  <RequestId>${requestId}</RequestId>\n  <HostId>127.0.0.1</HostId>\n</Error>\n`;
    // A body not read (refused before it was streamed) must not be parsed as the next request.
    if (!req.readableEnded) res.setHeader('connection', 'close');
    res.writeHead(apiError.status, { 'content-type': 'application/xml', 'x-oss-request-id': requestId });
    res.end(xml);
    return apiError.status;
  }
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** An object streamed as the body instead. */
  file?: string;
  size?: number;
}

async function operate(ctx: OssContext, req: IncomingMessage, requestId: string): Promise<Answer> {
  const url = new URL(req.url ?? '/', 'http://oss');
  const method = req.method ?? 'GET';
  const [, rawBucket = '', ...rest] = url.pathname.split('/');
  const bucket = decodeURIComponent(rawBucket);
  const key = rest.map(decodeURIComponent).join('/');
  const subresources = Object.fromEntries(url.searchParams);
  verify(ctx, req, method, bucket, key, subresources);
  if (!ctx.objects.buckets.has(bucket))
    throw ossError(404, 'NoSuchBucket', 'The specified bucket does not exist.');
  if (!key) throw ossError(400, 'InvalidObjectName', 'The object name is empty.');
  const size = Number(req.headers['content-length'] ?? 0);
  if (size > MAX_PUT_BYTES)
    throw ossError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.');
  const { objects } = ctx;
  switch (ossAction(method, url.searchParams)) {
    case 'PutObject': {
      const { etag, crc64 } = await objects.write(objects.file(bucket, key), req);
      return { status: 200, headers: { etag, 'x-oss-hash-crc64ecma': crc64 }, body: '' };
    }
    case 'InitiateMultipartUpload': {
      const uploadId = objects.startUpload(bucket, key);
      return xml(
        'InitiateMultipartUploadResult',
        `<Bucket>${escapeXml(bucket)}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${uploadId}</UploadId>`,
      );
    }
    case 'UploadPart': {
      const uploadId = subresources.uploadId ?? '';
      const partNumber = Number(subresources.partNumber);
      if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
        throw ossError(
          400,
          'InvalidArgument',
          'Part number must be an integer between 1 and 10000, inclusive.',
        );
      }
      const upload = objects.upload(uploadId, bucket, key);
      const { etag, crc64 } = await objects.write(objects.partFile(uploadId, partNumber), req);
      upload.parts.set(partNumber, etag);
      return { status: 200, headers: { etag, 'x-oss-hash-crc64ecma': crc64 }, body: '' };
    }
    case 'CompleteMultipartUpload': {
      const parts = [
        ...(await readText(req)).matchAll(
          /<Part>\s*<PartNumber>(\d+)<\/PartNumber>\s*<ETag>([^<]+)<\/ETag>\s*<\/Part>/g,
        ),
      ].map(([, partNumber, etag]) => ({
        partNumber: Number(partNumber),
        etag: etag!.replace(/&quot;/g, '"'),
      }));
      if (parts.length === 0)
        throw ossError(400, 'MalformedXML', 'The XML you provided was not well-formed.');
      const { etag, crc64 } = await objects.complete(subresources.uploadId ?? '', bucket, key, parts);
      return {
        ...xml(
          'CompleteMultipartUploadResult',
          `<Location>/${escapeXml(bucket)}/${escapeXml(key)}</Location><Bucket>${escapeXml(bucket)}</Bucket>` +
            `<Key>${escapeXml(key)}</Key><ETag>${escapeXml(etag)}</ETag>`,
        ),
        headers: {
          'content-type': 'application/xml',
          'x-oss-hash-crc64ecma': crc64,
          'x-oss-request-id': requestId,
        },
      };
    }
    case 'GetObject': {
      const size = await objects.size(bucket, key);
      if (size === undefined) throw ossError(404, 'NoSuchKey', 'The specified key does not exist.');
      return {
        status: 200,
        headers: { 'content-type': 'application/zip' },
        body: '',
        file: objects.file(bucket, key),
        size,
      };
    }
    default:
      throw ossError(405, 'MethodNotAllowed', `The emulator's code bucket does not serve ${method} here.`);
  }
}

/**
 * The V1 header signature as OSS checks it: a known key with its STS token, a fresh date, the same
 * string to sign, and a key allowed to write there (FC's temporary keys: the code bucket, the prefix).
 */
function verify(
  ctx: OssContext,
  req: IncomingMessage,
  method: string,
  bucket: string,
  key: string,
  subresources: Record<string, string>,
): void {
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(',') : (value ?? ''),
    ]),
  );
  const match = /^OSS ([^:]+):(.+)$/.exec(headers.authorization ?? '');
  if (!match)
    throw ossError(
      400,
      'InvalidArgument',
      'Authorization header is invalid: only the OSS V1 signature is served.',
    );
  const [, accessKeyId = '', signature] = match;
  let keyPair;
  try {
    keyPair = ctx.keys.resolve(accessKeyId, headers['x-oss-security-token'] || undefined);
  } catch (error) {
    throw ossError(403, (error as ApiError).code ?? 'InvalidAccessKeyId', (error as Error).message);
  }
  if (!isFresh(headers['x-oss-date'] ?? headers.date ?? '')) {
    throw ossError(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
    );
  }
  const stringToSign = ossStringToSign(method, headers, `/${bucket}/${key}`, subresources);
  if (ossAuthorization(keyPair, stringToSign) !== `OSS ${accessKeyId}:${signature}`) {
    throw ossError(
      403,
      'SignatureDoesNotMatch',
      `The request signature we calculated does not match the signature you provided. StringToSign: ${stringToSign}`,
    );
  }
  const grant = ctx.grants.get(accessKeyId);
  if (!grant || grant.bucket !== bucket || !key.startsWith(grant.prefix)) {
    throw ossError(403, 'AccessDenied', `You have no right to access oss://${bucket}/${key}.`);
  }
}

function xml(root: string, inner: string): Answer {
  return {
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<${root}>${inner}</${root}>\n`,
  };
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
