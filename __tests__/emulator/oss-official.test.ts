/**
 * The emulator's code bucket driven by the official OSS client, `ali-oss` (what devsapp/agentrun and
 * `@alicloud/fc2` upload with), with the temporary keys of Function Compute's GetTempBucketToken:
 * PutObject and a multipart upload succeed and store the bytes sent; a wrong secret, another account's
 * prefix and another bucket are refused with OSS's error codes.
 */
import OSS from 'ali-oss';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { getTempBucketToken, type TempBucketToken } from '../../src/upload/fc.js';

const ACCOUNT = '1000000000000001';
let emulator: Emulator;
let dir: string;
before(async () => {
  emulator = await startEmulator({ accountId: ACCOUNT });
  dir = await mkdtemp(join(tmpdir(), 'oss-official-'));
});
after(async () => {
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
});

const token = () =>
  getTempBucketToken({
    endpoint: emulator.endpoint,
    accountId: ACCOUNT,
    credentials: emulator.credentials,
    timeoutMs: 5000,
  });

/** An `ali-oss` client as `uploadCodeToTmpOss` makes one; path-style, since the endpoint is an IP. */
function officialClient(given: TempBucketToken, overrides: Partial<OSS.Options> = {}): OSS {
  return new OSS({
    endpoint: emulator.endpoint,
    accessKeyId: given.credentials.AccessKeyId,
    accessKeySecret: given.credentials.AccessKeySecret,
    stsToken: given.credentials.SecurityToken,
    bucket: given.ossBucket,
    sldEnable: true,
    ...overrides,
  } as OSS.Options);
}

test('ali-oss puts an object and uploads one in parts; the bytes stored are the bytes sent', async () => {
  const given = await token();
  const client = officialClient(given);
  const small = join(dir, 'small.zip');
  const large = join(dir, 'large.zip');
  await writeFile(small, randomBytes(1000));
  await writeFile(large, randomBytes(3 * 1024 * 1024 + 17));

  const put = await client.put(`${ACCOUNT}/${given.objectName}`, small);
  assert.equal(put.res.status, 200);
  await client.multipartUpload(`${ACCOUNT}/large-${given.objectName}`, large, { partSize: 1024 * 1024 });

  const actions = emulator.requestLog().map((entry) => `${entry.action} ${entry.status}`);
  assert.deepEqual(actions, [
    'GetTempBucketToken 200',
    'PutObject 200',
    'InitiateMultipartUpload 200',
    'UploadPart 200',
    'UploadPart 200',
    'UploadPart 200',
    'UploadPart 200',
    'CompleteMultipartUpload 200',
  ]);
  // What the emulator stored is what was sent, read back with GetObject.
  const stored = async (key: string) => (await client.get(key)).content as Buffer;
  assert.deepEqual(await stored(`${ACCOUNT}/${given.objectName}`), await readFile(small));
  assert.deepEqual(await stored(`${ACCOUNT}/large-${given.objectName}`), await readFile(large));
});

test('OSS refuses a wrong secret, another prefix and another bucket, with its error codes', async () => {
  const given = await token();
  const file = join(dir, 'refused.zip');
  await writeFile(file, randomBytes(100));
  const code = async (client: OSS, key: string) =>
    client.put(key, file).then(
      () => 'accepted',
      (error: { code?: string; status?: number }) => `${error.status} ${error.code}`,
    );
  assert.equal(
    await code(officialClient(given, { accessKeySecret: 'wrong' }), `${ACCOUNT}/a.zip`),
    '403 SignatureDoesNotMatch',
  );
  assert.equal(await code(officialClient(given), `9999/a.zip`), '403 AccessDenied');
  assert.equal(
    await code(officialClient(given, { bucket: 'someone-elses' }), `${ACCOUNT}/a.zip`),
    '403 AccessDenied',
  );
  const expired = { ...given, credentials: { ...given.credentials, SecurityToken: 'CAISnot-the-token' } };
  assert.equal(
    await code(officialClient(expired), `${ACCOUNT}/a.zip`),
    '403 InvalidSecurityToken.MismatchWithAccessKey',
  );
});
