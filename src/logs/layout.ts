/**
 * Where an agent's logs live and what each line carries: the one place for what `logConfig: auto`
 * creates and for the fields the platform tags lines with. The emulator writes, and `logs` and the
 * log gate query, exactly these.
 */
import type { CreateLogStoreInput, Index } from './model.js';

/**
 * `logConfig: auto` as devsapp/agentrun does it (`src/impl/sls.ts`): project
 * `aliyun-serverless-<accountId>-<region>`, logstore `default-logs`, created by `initSls` of
 * `@serverless-cd/srm-aliyun-sls20201230` 0.0.1 when missing: the logstore with `ttl` 3600 days and one
 * shard (its defaults when no `logstoreOption` is given), then an index.
 */
export const AUTO_LOG = {
  logstore: 'default-logs',
  description: 'Created by agentrun-deploy for logConfig: auto',
  ttlDays: 3600,
  shardCount: 1,
} as const;

/** The SLS project `logConfig: auto` uses in a region. */
export function autoLogProject(accountId: string, region: string): string {
  return `aliyun-serverless-${accountId}-${region}`;
}

/**
 * The fields of one log line. UNCONFIRMED: AgentRun documents no log schema. AgentRun runs agents on
 * Function Compute 3.0, and the index `initSls` creates for this logstore names Function Compute's
 * fields (`functionName`, `qualifier`, `versionId`, `instanceID`), so the runtime's name, the endpoint
 * (the qualifier a request came through, `LATEST` for the draft), the version and the instance are
 * read from those; the line itself from `message`, as Function Compute 3.0 writes it.
 */
export const LogField = {
  runtime: 'functionName',
  endpoint: 'qualifier',
  version: 'versionId',
  instance: 'instanceID',
  message: 'message',
} as const;

/** The standard fields every SLS log has. */
export const SlsField = { time: '__time__', source: '__source__', topic: '__topic__' } as const;

/** The token delimiters of the full-text index `initSls` creates (its `INDEX.line.token`). */
export const INDEX_TOKENS = [
  ',',
  ' ',
  "'",
  '"',
  ';',
  '=',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '?',
  '@',
  '&',
  '<',
  '>',
  '/',
  ':',
  '\n',
  '\t',
  '\r',
];

/** The logstore body `logConfig: auto` creates. */
export function autoLogstore(): CreateLogStoreInput {
  return { logstoreName: AUTO_LOG.logstore, ttl: AUTO_LOG.ttlDays, shardCount: AUTO_LOG.shardCount };
}

/**
 * The index `logConfig: auto` creates: full text with `initSls`'s delimiters (case-insensitive) and
 * `initSls`'s settings for the four fields a line is told apart by. Its other keys (durations, memory,
 * status codes) describe Function Compute's request logs, which nothing here queries.
 */
export function autoLogIndex(): Index {
  const text = (caseSensitive: boolean) =>
    ({ type: 'text', caseSensitive, chn: false, token: INDEX_TOKENS, alias: '', doc_value: true }) as const;
  return {
    line: { token: INDEX_TOKENS, caseSensitive: false, chn: false },
    keys: {
      [LogField.runtime]: text(true),
      [LogField.endpoint]: text(true),
      [LogField.version]: text(false),
      [LogField.instance]: text(false),
    },
    ttl: 90,
    max_text_len: 2048,
    log_reduce: false,
  };
}
