// Deploy rows, through the same core the action runs, against the local emulator: a first deploy,
// and a no-op redeploy of a 31 MB / 2,000-file agent beside packaging that code alone; CRC-64 beside
// zlib's CRC-32 of the same bytes.
import { randomBytes } from 'node:crypto';
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { startEmulator } from '../emulator/index.js';
import { crc64 } from '../src/package/crc64.js';
import { packageCode } from '../src/package/index.js';
import { deployWith } from './deployer.js';
import { inProcess, measure, type Result } from './harness.js';
import { writeTree } from './tree.js';

export async function run(work: string): Promise<Result[]> {
  const results: Result[] = [];
  const block = randomBytes(64 * 1024 * 1024);
  results.push(
    await measure({
      figure: 'CRC-64 of 64 MiB vs CRC-32 in C',
      subject: inProcess('CRC-64', async () => void crc64(block)),
      reference: inProcess('zlib crc32', async () => void crc32(block)),
      metrics: ['wall'],
      repeats: 5,
    }),
  );

  const emulator = await startEmulator({ delayMs: 200 });
  try {
    const project = path.join(work, 'project');
    await cp('examples', project, { recursive: true });
    const deploy = () =>
      deployWith(emulator, project, {
        dotenv: 'API_KEY=bench-api-key\nMODEL_ENDPOINT=https://model.example.com\n',
      });
    results.push(
      await measure({
        figure: 'first deploy of examples/ (emulator, 200 ms transitions)',
        subject: inProcess('deploy', deploy),
        metrics: ['wall', 'calls'],
        repeats: 1,
      }),
    );
    await writeTree(path.join(project, 'code/vendor'), { files: 2_000, bytes: 31e6 });
    await deploy();
    results.push(
      await measure({
        figure: 'no-op redeploy of a 31 MB / 2,000-file agent vs packaging it',
        subject: inProcess('redeploy', deploy),
        reference: inProcess('packaging', async () => {
          const pkg = await packageCode({
            src: 'code',
            baseDir: project,
            tempDir: work,
          });
          await rm(path.dirname(pkg.zipPath), { recursive: true });
        }),
        metrics: ['wall', 'calls'],
        goals: { wall: 0.2 },
        note: 'a no-op redeploy compares the fingerprint of the code tree with the one the published version records, and packages nothing.',
        repeats: 3,
      }),
    );
  } finally {
    await emulator.stop();
  }
  return results;
}
