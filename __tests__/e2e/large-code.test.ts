// A 120 MB package — an agent with large built dependencies — deploys through OSS in parts and answers,
// without the deploy (or the emulator, in this same process) ever holding the package in memory.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { test } from 'node:test';
import { PART_BYTES } from '../../src/upload/index.js';
import { ask, emulatorInputs, remoteState, runInProcess, withSetup } from './helpers.js';

const MIB = 1024 * 1024;
const DEPENDENCY_FILES = 12;
const FILE_MIB = 10;

/** Writes `mib` MiB of random (incompressible) bytes, a MiB at a time. */
async function incompressible(file: string, mib: number): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < mib; i++) if (!out.write(randomBytes(MIB))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

test('a 120 MB package deploys through OSS in parts and the agent answers', (t) =>
  withSetup('single', {}, async (emulator, project) => {
    const deps = join(project.dir, 'code', 'site-packages', 'big_framework');
    await mkdir(deps, { recursive: true });
    for (let i = 0; i < DEPENDENCY_FILES; i++) await incompressible(join(deps, `model_${i}.bin`), FILE_MIB);
    const before = process.resourceUsage().maxRSS * 1024;

    const run = await runInProcess(emulatorInputs(emulator), project.dir);
    assert.equal(run.failure, undefined, run.captured.lines.join('\n'));

    const peakGrowth = process.resourceUsage().maxRSS * 1024 - before;
    const actions = emulator.requestLog().map((entry) => entry.action);
    const parts = actions.filter((action) => action === 'UploadPart').length;
    const packageBytes = DEPENDENCY_FILES * FILE_MIB * MIB;
    assert.ok(parts >= Math.ceil(packageBytes / PART_BYTES), `${parts} parts`);
    assert.deepEqual(
      actions.filter((action) => /Multipart|PutObject|GetTempBucketToken/.test(action)),
      ['GetTempBucketToken', 'InitiateMultipartUpload', 'CompleteMultipartUpload'],
    );
    assert.ok(
      run.captured.lines.some((line) => /50% uploaded/.test(line)),
      'the log shows the upload progress',
    );
    const [runtime] = await remoteState(emulator);
    assert.match(runtime?.codeConfiguration?.ossObjectName ?? '', /^1000000000000001\//);
    assert.equal((await ask(run.captured.outputs.url!, 'hi')).status, 200);
    // Streamed end to end: the peak grew by less than the package, let alone the several copies that
    // reading, base64-encoding and sending it inline would take.
    t.diagnostic(`${parts} parts; peak memory grew by ${(peakGrowth / MIB).toFixed(0)} MiB; ${run.ms} ms`);
    assert.ok(peakGrowth < packageBytes / 2, `peak memory grew by ${(peakGrowth / MIB).toFixed(0)} MiB`);
  }));

test('a part whose upload is cut off is sent again on its own; the upload goes on from there', () =>
  withSetup(
    'single',
    // The first part's connection is reset.
    { faults: [{ action: 'UploadPart', kind: 'reset', times: 1 }] },
    async (emulator, project) => {
      const deps = join(project.dir, 'code', 'site-packages');
      await mkdir(deps, { recursive: true });
      await incompressible(join(deps, 'weights.bin'), 20);
      const run = await runInProcess(emulatorInputs(emulator), project.dir);
      assert.equal(run.failure, undefined, run.captured.lines.join('\n'));
      const log = emulator.requestLog();
      const statuses = (action: string) => log.filter((e) => e.action === action).map((e) => e.status);
      assert.deepEqual(statuses('InitiateMultipartUpload'), [200], 'the upload is not started over');
      assert.deepEqual(statuses('UploadPart'), [0, 200, 200, 200]);
      assert.ok(run.captured.lines.some((line) => /^warning: UploadPart: network, retrying in/.test(line)));
      assert.equal((await ask(run.captured.outputs.url!, 'hi')).status, 200);
    },
  ));
