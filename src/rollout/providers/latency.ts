import { Gate } from '../gates.js';
import { probed, type ProviderFactory } from './provider.js';

/** The p95 latency of the probes, per endpoint. */
export const latency: ProviderFactory = (options) => ({
  evaluate: (window) =>
    Promise.resolve(
      probed(window).map((stats) => ({
        gate: Gate.latency,
        subject: stats.endpoint,
        passed: stats.p95Ms <= options.gates.maxLatencyMs,
        measured: `p95 ${Math.round(stats.p95Ms)} ms`,
        threshold: `≤ ${options.gates.maxLatencyMs} ms`,
      })),
    ),
});
