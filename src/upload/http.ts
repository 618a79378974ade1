import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

/** An answer read to its end. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Raised when an answer does not arrive in time; named so that toAgentRunError calls it a timeout. */
class RequestTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/**
 * One HTTP(S) request. The body is a buffer or a stream made for this attempt (a file range, say), so
 * a large upload is never held in memory. Network failures reject with node's error (its `code` says
 * what happened), a stalled request with a RequestTimeoutError.
 */
export function send(
  url: URL,
  options: { method: string; headers: Record<string, string>; body?: Buffer | Readable; timeoutMs: number },
): Promise<HttpAnswer> {
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.setTimeout(options.timeoutMs, () => req.destroy(new RequestTimeoutError(options.timeoutMs)));
    req.on('error', reject);
    const { body } = options;
    if (body === undefined || Buffer.isBuffer(body)) {
      req.end(body);
      return;
    }
    body.on('error', (error) => req.destroy(error));
    body.pipe(req);
  });
}

/** The first value of a response header. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
