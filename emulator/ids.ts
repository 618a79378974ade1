import { randomUUID } from 'node:crypto';

/** A request id shaped like Alibaba Cloud's (upper-case UUID). */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

/** ISO 8601 without milliseconds, as Alibaba Cloud writes times (`2025-01-10T07:07:33Z`). */
export function isoSeconds(epochMs: number = Date.now()): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
