/**
 * Errors the emulator answers with. The control plane uses AgentRun's documented body
 * `{code, message, requestId}`; codes for gateway-level failures (signature, throttling) follow the
 * generic Alibaba Cloud POP names, which the real gateway returns for every product.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** AgentRun's documented codes (help.aliyun.com "AgentRuntimeResult"), plus not-found/conflict ones. */
export const Codes = {
  badRequest: 'ERR_BAD_REQUEST',
  validation: 'ERR_VALIDATION_FAILED',
  notFound: 'ERR_NOT_FOUND',
  conflict: 'ERR_CONFLICT',
  alreadyExists: 'ERR_ALREADY_EXISTS',
  internal: 'ERR_INTERNAL_SERVER_ERROR',
} as const;

export const badRequest = (message: string): ApiError => new ApiError(400, Codes.badRequest, message);
export const invalid = (message: string): ApiError => new ApiError(400, Codes.validation, message);
export const notFound = (message: string): ApiError => new ApiError(404, Codes.notFound, message);
export const conflict = (message: string): ApiError => new ApiError(409, Codes.conflict, message);
export const alreadyExists = (message: string): ApiError => new ApiError(409, Codes.alreadyExists, message);

/** Turns anything thrown by a handler into an ApiError; unexpected errors become a 500, never a crash. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiError(500, Codes.internal, `Internal error in the emulator: ${detail}`);
}
