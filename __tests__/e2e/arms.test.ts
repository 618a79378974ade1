// `armsConfiguration` without a licence key gets the account's, from ARMS DescribeTraceLicenseKey, as
// `s deploy` fills it; one given in the s.yaml is sent as is, and a deploy that changes nothing asks
// ARMS nothing.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { licenceKeyOf } from '../../emulator/arms.js';
import { startEmulator } from '../../emulator/index.js';
import { traceLicenseKey } from '../../src/arms/licence.js';
import { emulatorInputs, runInProcess, tempProject } from './helpers.js';

const ACCOUNT = '1234567890123456';

test('ARMS: the account licence key is fetched when the s.yaml has none, and only when the runtime is sent', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'arms-'));
  const stateFile = join(dir, 'state.json');
  const emulator = await startEmulator({ delayMs: 20, stateFile, accountId: ACCOUNT });
  const project = await tempProject('single');
  try {
    await project.edit(
      's.yaml',
      '        cpu: 1',
      '        armsConfiguration:\n          enableArms: true\n        cpu: 1',
    );
    const deploy = async () => {
      const since = emulator.requestLog().length;
      const run = await runInProcess(emulatorInputs(emulator), project.dir);
      assert.equal(run.failure, undefined, run.captured.lines.join('\n'));
      assert.ok(!run.captured.everything().includes(licenceKeyOf(ACCOUNT)), 'the licence key is masked');
      return emulator
        .requestLog()
        .slice(since)
        .filter((entry) => entry.action === 'DescribeTraceLicenseKey');
    };
    assert.equal((await deploy()).length, 1);
    assert.equal((await deploy()).length, 0, 'an unchanged deploy asks ARMS nothing');

    await project.edit('s.yaml', 'enableArms: true', 'enableArms: true\n          armsLicenseKey: own-key@1');
    assert.equal((await deploy()).length, 0, 'a key in the s.yaml is used as is');
    await emulator.stop();
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as {
      runtimes: {
        config: { armsConfiguration?: object };
        versions: { config: { armsConfiguration?: object } }[];
      }[];
    };
    const [runtime] = state.runtimes;
    assert.deepEqual(
      runtime?.versions.map((v) => v.config.armsConfiguration),
      [
        { enableArms: true, armsLicenseKey: licenceKeyOf(ACCOUNT) },
        { enableArms: true, armsLicenseKey: 'own-key@1' },
      ],
    );
  } finally {
    await emulator.stop();
    await project.remove();
    await rm(dir, { recursive: true, force: true });
  }
});

test('ARMS: DescribeTraceLicenseKey is signed as the official client signs it, and refused with a wrong key', async () => {
  const emulator = await startEmulator({ accountId: ACCOUNT });
  try {
    const ask = (accessKeySecret: string) =>
      traceLicenseKey({
        endpoint: emulator.endpoint,
        region: 'cn-hangzhou',
        credentials: { ...emulator.credentials, accessKeySecret },
        timeoutMs: 5000,
      });
    assert.equal(await ask(emulator.credentials.accessKeySecret), licenceKeyOf(ACCOUNT));
    await assert.rejects(
      ask('wrong'),
      /DescribeTraceLicenseKey failed: .*SignatureDoesNotMatch.*Check the AccessKey/s,
    );
  } finally {
    await emulator.stop();
  }
});
