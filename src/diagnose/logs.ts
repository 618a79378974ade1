import type { LogConfiguration } from '../agentrun/model.js';
import type { Logger } from '../log.js';
import type { SlsApi } from '../logs/api.js';
import { queryRuntimeLogs } from '../logs/query.js';
import type { Clock } from '../system/clock.js';
import { decisiveLine } from './decisive.js';

/** How many of the last lines are read and shown. */
const TAIL = 30;
/** SLS makes lines searchable within seconds of their writing: a few tries before "no lines". */
const ATTEMPTS = 3;
const RETRY_MS = 2000;

export interface LogDiagnosisRequest {
  logstore: Required<LogConfiguration>;
  runtime: string;
  /** The failing version (`LATEST` for the draft); all versions when undefined. */
  version?: string;
  /** The window the failure happened in, epoch ms. */
  fromMs: number;
}

/**
 * Reads the last lines the failing version printed, shows them folded in the log (masked like every
 * line), and returns the decisive one with where it was read, for the annotation, the summary and the
 * pull-request comment. Undefined when the logstore holds no line of it.
 */
export async function diagnoseFromLogs(
  sls: SlsApi,
  request: LogDiagnosisRequest,
  deps: { clock: Clock; logger: Logger },
): Promise<string | undefined> {
  const { project, logstore } = request.logstore;
  let lines: string[] = [];
  for (let attempt = 1; attempt <= ATTEMPTS && lines.length === 0; attempt++) {
    if (attempt > 1) await deps.clock.sleep(RETRY_MS);
    const found = await queryRuntimeLogs(sls, {
      logstore: request.logstore,
      runtime: request.runtime,
      version: request.version,
      fromMs: request.fromMs,
      toMs: deps.clock.now() + 1000,
      samples: TAIL,
    });
    lines = found.lines.map((line) => line.message);
  }
  const decisive = decisiveLine(lines);
  if (decisive === undefined) return undefined;
  const version = request.version === undefined ? '' : ` version ${request.version}`;
  await deps.logger.group(
    `Last ${lines.length} lines of ${request.runtime}${version} (SLS ${project}/${logstore})`,
    () => Promise.resolve(lines.forEach((line) => deps.logger.info(line))),
  );
  return `${request.runtime}${version} logged: ${decisive}`;
}
