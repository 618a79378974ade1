import { Gate, type GateResult } from '../gates.js';
import type { ProviderFactory } from './provider.js';

/**
 * `gate-command`: a shell command with both endpoints' URLs in its environment; exit code 0 passes. It
 * runs only when every earlier gate passed, since a failed stage is decided and the command may be slow.
 */
export const gateCommand: ProviderFactory = (options, deps) => {
  const command = options.gates.command;
  if (!command) return undefined;
  return {
    evaluate: async (window) => {
      if (!window.earlier.every((g) => g.passed)) return [];
      const result = await deps.runner.shell(command, {
        cwd: deps.cwd,
        env: {
          ...deps.env,
          CANARY_URL: window.candidateUrl,
          PRODUCTION_URL: window.productionUrl,
          CANARY_VERSION: window.marker.candidate,
          STABLE_VERSION: window.marker.stable,
          CANARY_WEIGHT: String(window.weight),
        },
        onLine: (line) => deps.logger.info(`  gate-command: ${line}`),
      });
      return [commandGate(command, result.exitCode, result.signal)];
    },
  };
};

/** The `gate-command`'s verdict from its exit. */
export function commandGate(command: string, exitCode: number | null, signal: string | null): GateResult {
  return {
    gate: Gate.command,
    subject: command,
    passed: exitCode === 0,
    measured: exitCode === null ? `killed by ${signal ?? 'a signal'}` : `exit code ${exitCode}`,
    threshold: 'exit code 0',
  };
}
