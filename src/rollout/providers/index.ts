/** The gate registry: every provider, in the order a stage evaluates them. */
import type { RolloutOptions } from '../options.js';
import { gateCommand } from './command.js';
import { consecutiveFailures } from './consecutive-failures.js';
import { errorLogs } from './error-logs.js';
import { latency } from './latency.js';
import type { GateProvider, ProviderDeps, ProviderFactory } from './provider.js';
import { successRate } from './success-rate.js';

const REGISTRY: readonly ProviderFactory[] = [
  successRate,
  latency,
  consecutiveFailures,
  errorLogs,
  // Last: it runs only when every gate above passed.
  gateCommand,
];

/** The providers configured by `options`, built once per run. */
export function gateProviders(options: RolloutOptions, deps: ProviderDeps): GateProvider[] {
  return REGISTRY.flatMap((factory) => factory(options, deps) ?? []);
}
