/**
 * The account's ARMS licence key, fetched as `s deploy` fetches it when `armsConfiguration` has none
 * (devsapp/agentrun `src/impl/arms.ts` `DescribeTraceLicenseKey` through `@alicloud/arms20190808`):
 * the RPC operation `DescribeTraceLicenseKey` of ARMS 2019-08-08 (POST `/`, form body, JSON answer
 * `{LicenseKey, RequestId}`; aliyun/alibabacloud-typescript-sdk `arms-20190808/src/models/
 * DescribeTraceLicenseKeyRequest.ts` and `…ResponseBody.ts`) on `arms.<region>.aliyuncs.com`.
 */
import type { ApiCredentials } from '../agentrun/client.js';
import { AgentRunError, toAgentRunError } from '../agentrun/errors.js';
import { callRpc } from '../rpc.js';

export const ARMS_VERSION = '2019-08-08';
export const DESCRIBE_TRACE_LICENSE_KEY = 'DescribeTraceLicenseKey';

/** The ARMS host of a region; `api-endpoint` replaces it (the emulator answers this operation too). */
export function armsEndpoint(region: string): string {
  return `arms.${region}.aliyuncs.com`;
}

/** Asks ARMS for the account's licence key in `region`. */
export async function traceLicenseKey(options: {
  endpoint: string;
  region: string;
  credentials: ApiCredentials;
  timeoutMs: number;
}): Promise<string> {
  let body: { LicenseKey?: string } | undefined;
  try {
    body = (await callRpc({
      endpoint: options.endpoint,
      action: DESCRIBE_TRACE_LICENSE_KEY,
      version: ARMS_VERSION,
      credentials: options.credentials,
      regionId: options.region,
      query: { RegionId: options.region },
      timeoutMs: { connect: options.timeoutMs, read: options.timeoutMs },
    })) as { LicenseKey?: string } | undefined;
  } catch (error) {
    throw toAgentRunError(DESCRIBE_TRACE_LICENSE_KEY, error);
  }
  if (!body?.LicenseKey) {
    throw new AgentRunError('Server', DESCRIBE_TRACE_LICENSE_KEY, 'the answer has no LicenseKey');
  }
  return body.LicenseKey;
}
