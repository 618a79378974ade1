import { Gate } from '../gates.js';
import { probed, type ProviderFactory } from './provider.js';

/** The longest run of failed probes, per endpoint (the bake also stops early on reaching it). */
export const consecutiveFailures: ProviderFactory = (options) => ({
  evaluate: (window) =>
    Promise.resolve(
      probed(window).map((stats) => ({
        gate: Gate.consecutiveFailures,
        subject: stats.endpoint,
        passed: stats.maxConsecutiveFailures < options.gates.maxConsecutiveFailures,
        measured: `${stats.maxConsecutiveFailures} in a row`,
        threshold: `< ${options.gates.maxConsecutiveFailures}`,
      })),
    ),
});
