/**
 * Reading a runtime's logs: the query for its lines (by version, endpoint and a user's query) and the
 * one function `logs`, the diagnosis and the canary's log gate call.
 */
import type { LogConfiguration } from '../agentrun/model.js';
import type { SlsApi } from './api.js';
import { LogField, SlsField } from './layout.js';
import type { LogRecord } from './model.js';

/** What to read: a runtime's lines in a time window, optionally one version's or endpoint's. */
export interface RuntimeLogQuery {
  /** The runtime's `logConfiguration` (project and logstore). */
  logstore: Required<LogConfiguration>;
  /** The runtime's name (`agentRuntimeName`). */
  runtime: string;
  /** A version number, or `LATEST` for the draft. */
  version?: string;
  /** An endpoint name. */
  endpoint?: string;
  /** SLS search syntax: terms, "phrases", `field: value`, AND/OR/NOT, parentheses. */
  query?: string;
  /** Epoch milliseconds, inclusive. */
  fromMs: number;
  /** Epoch milliseconds, exclusive. */
  toMs: number;
  /** How many lines to return (the newest ones), default 20. */
  samples?: number;
}

/** One line an agent printed. */
export interface LogLine {
  /** Epoch milliseconds (SLS keeps seconds). */
  timeMs: number;
  message: string;
  version: string;
  endpoint: string;
  instance: string;
}

/** How many lines matched (up to `MAX_COUNTED`; `capped` beyond) and the newest of them, oldest first. */
export interface LogMatches {
  count: number;
  capped: boolean;
  lines: LogLine[];
}

/** GetLogsV2 returns at most 100 logs per call; counting stops after this many. */
export const MAX_COUNTED = 1000;
const PAGE = 100;

/**
 * The lines of `runtime` in [fromMs, toMs) that match, newest `samples` of them, and how many matched.
 * This is what a log gate calls: e.g. `{ query: 'Traceback or Error', version: '4' }` over a stage's
 * bake, failing the stage when `count` is above its threshold.
 */
export async function queryRuntimeLogs(api: SlsApi, request: RuntimeLogQuery): Promise<LogMatches> {
  const { project, logstore } = request.logstore;
  const query = runtimeQuery(request);
  const from = Math.floor(request.fromMs / 1000);
  // `to` is exclusive and in seconds: round up so the current second's lines are included.
  const to = Math.ceil(request.toMs / 1000);
  const samples = Math.min(request.samples ?? 20, MAX_COUNTED);
  const newest: LogRecord[] = [];
  let count = 0;
  for (let offset = 0; offset < MAX_COUNTED; offset += PAGE) {
    const { data } = await api.getLogs(project, logstore, {
      from,
      to,
      query,
      line: PAGE,
      offset,
      reverse: true,
    });
    count += data.length;
    if (newest.length < samples) newest.push(...data.slice(0, samples - newest.length));
    if (data.length < PAGE) return { count, capped: false, lines: newest.reverse().map(toLine) };
  }
  return { count, capped: true, lines: newest.reverse().map(toLine) };
}

/** The SLS query for a request: the runtime, version and endpoint as fields, AND the user's query. */
export function runtimeQuery(
  request: Pick<RuntimeLogQuery, 'runtime' | 'version' | 'endpoint' | 'query'>,
): string {
  const parts = [`${LogField.runtime}: ${quote(request.runtime)}`];
  if (request.version !== undefined) parts.push(`${LogField.version}: ${quote(request.version)}`);
  if (request.endpoint !== undefined) parts.push(`${LogField.endpoint}: ${quote(request.endpoint)}`);
  if (request.query?.trim()) parts.push(`(${request.query.trim()})`);
  return parts.join(' and ');
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

function toLine(record: LogRecord): LogLine {
  return {
    timeMs: Number(record[SlsField.time] ?? 0) * 1000,
    message: record[LogField.message] ?? '',
    version: record[LogField.version] ?? '',
    endpoint: record[LogField.endpoint] ?? '',
    instance: record[LogField.instance] ?? '',
  };
}
