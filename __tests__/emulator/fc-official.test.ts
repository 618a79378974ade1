/**
 * Function Compute's GetTempBucketToken on the emulator, called by the official `@alicloud/fc2` client
 * exactly as devsapp/agentrun calls it (`uploadCodeToTmpOss`): its own URL, headers and FC signature.
 * The answer has the fields the client reads; a wrong secret and another account are refused with FC's
 * error codes, which the client turns into its `FC<ErrorCode>Error`.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { tempBucketToken } from '../../src/upload/fc.js';

/** The part of `@alicloud/fc2` (untyped) the component uses. */
interface Fc2Client {
  getTempBucketToken(): Promise<{ data: unknown }>;
}
type Fc2 = new (
  accountId: string,
  config: { accessKeyID: string; accessKeySecret: string; region: string; endpoint: string },
) => Fc2Client;
const FC2 = createRequire(import.meta.url)('@alicloud/fc2') as Fc2;

const ACCOUNT = '1000000000000001';
let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ accountId: ACCOUNT });
});
after(() => emulator.stop());

const client = (accountId: string, accessKeySecret: string) =>
  new FC2(accountId, {
    accessKeyID: emulator.credentials.accessKeyId,
    accessKeySecret,
    region: 'cn-hangzhou',
    endpoint: emulator.endpoint,
  });

test('@alicloud/fc2 gets a temporary code bucket token, with every field it reads', async () => {
  const { data } = await client(ACCOUNT, emulator.credentials.accessKeySecret).getTempBucketToken();
  const parsed = tempBucketToken.parse(data);
  assert.match(parsed.credentials.AccessKeyId, /^STS\./);
  assert.ok(parsed.ossBucket && parsed.objectName && parsed.codeSizeLimit);
});

test('@alicloud/fc2 is refused with a wrong secret and for another account', async () => {
  await assert.rejects(client(ACCOUNT, 'wrong').getTempBucketToken(), { name: 'FCSignatureNotMatchError' });
  await assert.rejects(
    client('2000000000000002', emulator.credentials.accessKeySecret).getTempBucketToken(),
    {
      name: 'FCAccessDeniedError',
    },
  );
});
