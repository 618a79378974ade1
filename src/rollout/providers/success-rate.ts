import { Gate, type GateResult } from '../gates.js';
import type { ProviderFactory } from './provider.js';

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/**
 * The share of probes answered as expected, per endpoint. An endpoint without a single completed probe
 * cannot be judged, and that is a failure of its own, never a pass.
 */
export const successRate: ProviderFactory = (options) => ({
  evaluate: ({ probes }) =>
    Promise.resolve(
      [probes.candidate, probes.production].map((stats): GateResult =>
        stats.count === 0
          ? {
              gate: Gate.samples,
              subject: stats.endpoint,
              passed: false,
              measured: 'no probe completed',
              threshold: '≥ 1 probe',
            }
          : {
              gate: Gate.successRate,
              subject: stats.endpoint,
              passed: stats.successRate >= options.gates.minSuccessRate,
              measured: `${percent(stats.successRate)} (${stats.successes}/${stats.count})`,
              threshold: `≥ ${percent(options.gates.minSuccessRate)}`,
            },
      ),
    ),
});
