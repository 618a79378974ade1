import { Gate, type GateResult } from '../gates.js';
import type { ProviderFactory } from './provider.js';

/**
 * `max-error-logs`: the candidate version's error lines in the logstore during the bake. Without a
 * logstore the gate is skipped, and says so once per run — it never passes in silence.
 */
export const errorLogs: ProviderFactory = (options, deps) => {
  const { logsQuery: query, maxErrorLogs: max } = options.gates;
  let noticed = false;
  return {
    evaluate: async (window): Promise<GateResult[]> => {
      const version = window.marker.candidate;
      const found = await deps.errorLogs?.({
        runtime: window.runtime,
        version,
        from: window.from,
        to: window.to,
        query,
      });
      const gate = { gate: Gate.errorLogs, subject: 'candidate', threshold: `≤ ${max} error lines` };
      if (!found) {
        if (!noticed) {
          deps.logger.notice(
            `Gate max-error-logs is skipped: no logstore holds the logs of ${window.runtime}. Give the runtime a logConfig in the s.yaml to gate on its error lines.`,
          );
          noticed = true;
        }
        return [{ ...gate, passed: true, measured: 'not measured', skipped: 'no logstore' }];
      }
      return [
        {
          ...gate,
          passed: found.count <= max,
          measured: `${found.count} lines matching ${JSON.stringify(query)}`,
          samples: found.samples,
        },
      ];
    },
  };
};
