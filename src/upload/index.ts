/**
 * Code goes to AgentRun through OSS, as `s deploy` sends it (devsapp/agentrun `src/impl/agentrun.ts`
 * `processCodeUpload` → `uploadCodeToTmpOss`): the package is uploaded to Function Compute's temporary
 * code bucket and the runtime is given `ossBucketName` + `ossObjectName`. The official models accept an
 * inline base64 `zipFile` too, but document no size limit for it, and the component never sends one
 * (its `createAgentRuntime` throws "Code must be uploaded to OSS before creating agent runtime"), so
 * nothing says the two are equivalent: code always goes through OSS, whatever its size.
 */
import type { ApiCredentials } from '../agentrun/client.js';
import { DEFAULT_RETRY, withRetry, type RetryDeps, type RetryPolicy } from '../agentrun/retry.js';
import type { Logger } from '../log.js';
import { formatBytes, PackageTooLargeError } from '../package/errors.js';
import type { CodePackage } from '../package/index.js';
import { fcEndpoint, getTempBucketToken } from './fc.js';
import { OssClient, type UploadedPart } from './oss.js';

/** Where the code of a runtime is, as `codeConfiguration` names it. */
export interface UploadedCode {
  ossBucketName: string;
  ossObjectName: string;
}

/** Uploads a region's code packages. */
export interface CodeUploader {
  upload(region: string, pkg: Pick<CodePackage, 'zipPath' | 'bytes'>, logger: Logger): Promise<UploadedCode>;
}

export interface UploaderOptions {
  credentials: ApiCredentials;
  /** The account id: the FC host and the object's prefix are named after it. */
  accountId(region: string): Promise<string>;
  /** One endpoint for FC and OSS (a local emulator); default each service's own. */
  endpoint?: string;
  requestTimeoutMs: number;
  retry?: RetryPolicy;
  deps: RetryDeps;
}

/**
 * The OSS endpoint of the temporary bucket: devsapp/agentrun and `@alicloud/fc2` upload through OSS's
 * global transfer acceleration unless they run inside Function Compute.
 */
export const TEMP_BUCKET_OSS_ENDPOINT = 'https://oss-accelerate.aliyuncs.com';

/**
 * Packages up to one part go in one PutObject; larger ones in parts of this size, each retried on its
 * own, so a dropped connection re-sends one part rather than the package and memory stays flat.
 */
export const PART_BYTES = 8 * 1024 * 1024;

/** Logs progress at every tenth of a large upload. */
const PROGRESS_STEPS = 10;

export function codeUploader(options: UploaderOptions): CodeUploader {
  return {
    async upload(region, pkg, logger) {
      const accountId = await options.accountId(region);
      const retrying = <T>(call: () => Promise<T>) =>
        withRetry(call, options.retry ?? DEFAULT_RETRY, options.deps, {
          onRetry: (error, delayMs) =>
            logger.warning(
              `${error.action}: ${error.kind.toLowerCase()}, retrying in ${(delayMs / 1000).toFixed(1)} s`,
            ),
        });
      const token = await retrying(() =>
        getTempBucketToken({
          endpoint: options.endpoint ?? fcEndpoint(accountId, region),
          accountId,
          credentials: options.credentials,
          timeoutMs: options.requestTimeoutMs,
        }),
      );
      if (token.codeSizeLimit !== undefined && pkg.bytes > token.codeSizeLimit) {
        throw new PackageTooLargeError(pkg.bytes, token.codeSizeLimit);
      }
      logger.setSecret(token.credentials.AccessKeySecret);
      logger.setSecret(token.credentials.SecurityToken);
      const oss = new OssClient({
        endpoint: options.endpoint ?? TEMP_BUCKET_OSS_ENDPOINT,
        bucket: token.ossBucket,
        credentials: {
          accessKeyId: token.credentials.AccessKeyId,
          accessKeySecret: token.credentials.AccessKeySecret,
          securityToken: token.credentials.SecurityToken,
        },
        timeoutMs: options.requestTimeoutMs,
      });
      const key = `${accountId}/${token.objectName}`;
      const parts = Math.max(1, Math.ceil(pkg.bytes / PART_BYTES));
      logger.info(
        `Uploading the code (${formatBytes(pkg.bytes)}) to oss://${token.ossBucket}/${key}` +
          (parts > 1 ? ` in ${parts} parts` : ''),
      );
      if (parts === 1) {
        await retrying(() => oss.put(key, { file: pkg.zipPath, start: 0, bytes: pkg.bytes }));
      } else {
        const uploadId = await retrying(() => oss.initiate(key));
        const done: UploadedPart[] = [];
        let reported = 0;
        for (let part = 1; part <= parts; part++) {
          const start = (part - 1) * PART_BYTES;
          const range = { file: pkg.zipPath, start, bytes: Math.min(PART_BYTES, pkg.bytes - start) };
          done.push(await retrying(() => oss.uploadPart(key, uploadId, part, range)));
          const step = Math.floor((part / parts) * PROGRESS_STEPS);
          if (step > reported && part < parts) {
            reported = step;
            logger.info(`  ${step * PROGRESS_STEPS}% uploaded (${formatBytes(start + range.bytes)})`);
          }
        }
        await retrying(() => oss.complete(key, uploadId, done));
      }
      logger.info('  code uploaded');
      return { ossBucketName: token.ossBucket, ossObjectName: key };
    },
  };
}
