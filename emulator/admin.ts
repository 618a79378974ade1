/**
 * Emulator-only routes under `/__emulator/` (unsigned; the server listens on loopback only):
 *   GET    /__emulator/requests  the request log
 *   GET    /__emulator/faults    armed fault rules
 *   POST   /__emulator/faults    arm a rule or a list of rules (JSON, see faults.ts), e.g. a version's
 *                                 data-plane behaviour: {"kind":"data-plane","runtime":"my-agent",
 *                                 "version":"3","errorRate":0.2,"latencyMs":300,"crashAfter":50}
 *   DELETE /__emulator/faults    disarm all
 *   POST   /__emulator/reset     drop all runtimes, endpoints, processes, faults and the log
 */
import { ApiError, badRequest } from './errors.js';
import { parseFaultRules, type FaultInjector } from './faults.js';
import type { RequestLogEntry } from './server.js';

/** What the admin routes act on. */
export interface AdminContext {
  faults: FaultInjector;
  log: RequestLogEntry[];
  reset: () => Promise<void>;
  /** Aborted when the emulator stops (ends held-back slow responses). */
  shutdown: AbortSignal;
}

/** Handles one admin request. */
export async function handleAdmin(
  ctx: AdminContext,
  method: string,
  path: string,
  body: Buffer,
): Promise<{ status: number; body: unknown }> {
  switch (`${method} ${path}`) {
    case 'GET /__emulator/requests':
      return { status: 200, body: { requests: ctx.log } };
    case 'GET /__emulator/faults':
      return { status: 200, body: { faults: ctx.faults.list() } };
    case 'POST /__emulator/faults': {
      let rules: unknown;
      try {
        rules = JSON.parse(body.toString('utf8'));
      } catch {
        throw badRequest('The fault rule must be JSON');
      }
      ctx.faults.inject(parseFaultRules(rules));
      return { status: 200, body: { faults: ctx.faults.list() } };
    }
    case 'DELETE /__emulator/faults':
      ctx.faults.clear();
      return { status: 200, body: { faults: [] } };
    case 'POST /__emulator/reset':
      await ctx.reset();
      return { status: 200, body: { reset: true } };
    default:
      throw new ApiError(404, 'InvalidAction.NotFound', `No emulator admin route ${method} ${path}`);
  }
}
