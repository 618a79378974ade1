import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError } from './errors.js';
import { newRequestId } from './ids.js';

/**
 * Reads the whole body, refusing more than `limit` bytes. The declared Content-Length is checked first
 * so an oversize upload is refused before it is received.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = (): ApiError =>
    new ApiError(413, 'RequestEntityTooLarge', `The request body exceeds the limit of ${limit} bytes.`);
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Writes a JSON response; `Connection: close` when the request body was not (fully) read. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': String(data.length),
    ...headers,
  });
  res.end(data);
}

/**
 * Answers requests node's HTTP parser rejects (bad framing, oversize headers) in the API's error shape
 * instead of node's bare `400` with no body.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({
      code: 'ERR_BAD_REQUEST',
      message: `Malformed HTTP request: ${error.code ?? error.message}`,
      requestId: newRequestId(),
    });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json;charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
}
