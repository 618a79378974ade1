/**
 * The Simple Log Service (SLS) 2020-12-30 operations this product uses, field by field as the official
 * SDK models define them (`@alicloud/sls20201230` 5.9.0, `dist/models/*.d.ts` and their wire names in
 * `names()`): Project, Logstore, Index, GetLogsV2. The client sends these shapes and the emulator
 * accepts and answers with them. Objects are loose: the service takes many optional fields we never send.
 */
import { z } from 'zod';

/** `x-log-apiversion`, which gateway-sls puts on every request. */
export const SLS_API_VERSION = '0.6.0';

/** The SLS endpoint of a region (`@alicloud/gateway-sls` `getEndpoint`); `sls-endpoint` overrides it. */
export function slsRegionEndpoint(region: string): string {
  return `${region}.log.aliyuncs.com`;
}

/** CreateProject's body (`CreateProjectRequest`). */
export const createProjectInput = z.object({
  projectName: z.string().min(3).max(63),
  description: z.string(),
  resourceGroupId: z.string().optional(),
  dataRedundancyType: z.string().optional(),
  recycleBinEnabled: z.boolean().optional(),
});
export type CreateProjectInput = z.infer<typeof createProjectInput>;

/** GetProject's answer (`Project`). */
export interface Project {
  projectName: string;
  description: string;
  region: string;
  owner: string;
  status: string;
  createTime: string;
  lastModifyTime: string;
}

/** CreateLogStore's body (`CreateLogStoreRequest`); GetLogStore answers a `Logstore` of the same fields. */
export const createLogStoreInput = z.object({
  logstoreName: z.string().min(2).max(63),
  ttl: z.number().int().min(1).max(3650),
  shardCount: z.number().int().min(1).max(256),
  autoSplit: z.boolean().optional(),
  maxSplitShard: z.number().int().optional(),
  appendMeta: z.boolean().optional(),
  enable_tracking: z.boolean().optional(),
  telemetryType: z.string().optional(),
  mode: z.string().optional(),
});
export type CreateLogStoreInput = z.infer<typeof createLogStoreInput>;
export type Logstore = CreateLogStoreInput & { createTime: number; lastModifyTime: number };

/** An index key (`IndexKey`). */
const indexKey = z.object({
  type: z.enum(['text', 'long', 'double', 'json']),
  caseSensitive: z.boolean().optional(),
  chn: z.boolean().optional(),
  token: z.array(z.string()).optional(),
  alias: z.string().optional(),
  doc_value: z.boolean().optional(),
});

/** CreateIndex's body and GetIndex's answer (`Index`). */
export const indexInput = z.object({
  line: z
    .object({
      token: z.array(z.string()),
      caseSensitive: z.boolean().optional(),
      chn: z.boolean().optional(),
      include_keys: z.array(z.string()).optional(),
      exclude_keys: z.array(z.string()).optional(),
    })
    .optional(),
  keys: z.record(z.string(), indexKey).optional(),
  ttl: z.number().int().optional(),
  max_text_len: z.number().int().optional(),
  log_reduce: z.boolean().optional(),
});
export type Index = z.infer<typeof indexInput>;

/** GetLogsV2's body (`GetLogsV2Request`): `from`/`to` are Unix seconds, `to` exclusive. */
export const getLogsInput = z.object({
  from: z.number().int(),
  to: z.number().int(),
  query: z.string().optional(),
  line: z.number().int().min(0).max(100).optional(),
  offset: z.number().int().min(0).optional(),
  reverse: z.boolean().optional(),
  topic: z.string().optional(),
  powerSql: z.boolean().optional(),
  session: z.string().optional(),
  forward: z.boolean().optional(),
  highlight: z.boolean().optional(),
});
export type GetLogsInput = z.infer<typeof getLogsInput>;

/** One log as GetLogsV2 returns it: its fields as strings, plus `__time__`, `__source__`, `__topic__`. */
export type LogRecord = Record<string, string>;

/** GetLogsV2's answer (`GetLogsV2ResponseBody`): `meta.progress` is `Complete` once every shard answered. */
export interface GetLogsOutput {
  meta: {
    progress: string;
    count: number;
    processedRows: number;
    elapsedMillisecond: number;
    hasSQL: boolean;
    keys: string[];
  };
  data: LogRecord[];
}

/** The SLS error body (`@alicloud/gateway-sls` `modifyResponse` reads `errorCode` and `errorMessage`). */
export interface SlsErrorBody {
  errorCode: string;
  errorMessage: string;
}

/** The error codes the create-if-missing steps tell apart (as `@serverless-cd/srm-aliyun-sls20201230` does). */
export const SlsCodes = {
  projectNotExist: 'ProjectNotExist',
  projectAlreadyExist: 'ProjectAlreadyExist',
  logStoreNotExist: 'LogStoreNotExist',
  logStoreAlreadyExist: 'LogStoreAlreadyExist',
  indexNotExist: 'IndexConfigNotExist',
  indexAlreadyExist: 'IndexAlreadyExist',
} as const;
