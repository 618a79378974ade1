// `npm run bench`: the figures the deploy engine is held to, measured on this machine:
// packaging speed and size, CRC-64 throughput, first deploy, and a no-op redeploy (wall time and
// the number of AgentRun API calls it makes) against the local emulator.
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createConsoleLogger } from '../src/cli/logger.js';
import { startEmulator } from '../emulator/index.js';
import { crc64 } from '../src/package/crc64.js';
import { packageCode } from '../src/package/index.js';
import { run } from '../src/app/run.js';
import { readSettings, type InputName } from '../src/settings.js';

const work = await mkdtemp(join(tmpdir(), 'agentrun-bench-'));
const record = (name: string, value: string) => console.log(`${name.padEnd(44)} ${value}`);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

try {
  // Packaging: the example agent, then a 20 MB tree of 2,000 files (half compressible text).
  const [example, exampleMs] = await timed(() =>
    packageCode({ src: 'examples/code', baseDir: process.cwd(), maxInlineBytes: Infinity, tempDir: work }),
  );
  record('zip examples/code', `${example.files} file, ${example.bytes} B, ${exampleMs.toFixed(1)} ms`);
  const tree = join(work, 'tree');
  for (let i = 0; i < 2000; i++) {
    const dir = join(tree, `pkg${i % 20}`);
    await mkdir(dir, { recursive: true });
    const content = i % 2 ? randomBytes(10_000) : Buffer.from('agent '.repeat(1_700));
    await writeFile(join(dir, `file${i}.dat`), content);
  }
  const [big, bigMs] = await timed(() =>
    packageCode({ src: tree, baseDir: work, maxInlineBytes: Infinity, tempDir: work }),
  );
  record('zip 2,000 files / 20 MB', `${(big.bytes / 1e6).toFixed(1)} MB zip, ${bigMs.toFixed(0)} ms`);
  const block = randomBytes(64 * 1024 * 1024);
  const [, crcMs] = await timed(async () => crc64(block));
  record('CRC-64 throughput', `${(64 / (crcMs / 1000)).toFixed(0)} MiB/s`);

  // Deploys of examples/ through the same core the action runs.
  const emulator = await startEmulator({ delayMs: 200 });
  try {
    const project = join(work, 'project');
    await cp('examples', project, { recursive: true });
    const inputs: Partial<Record<InputName, string>> = {
      command: 'deploy',
      dotenv: 'API_KEY=bench-api-key\nMODEL_ENDPOINT=https://model.example.com\n',
      'api-endpoint': emulator.endpoint,
      'access-key-id': emulator.credentials.accessKeyId,
      'access-key-secret': emulator.credentials.accessKeySecret,
    };
    const deploy = () =>
      run(
        readSettings((name) => inputs[name] ?? '', project),
        {
          logger: createConsoleLogger({ write: () => undefined }),
          env: {},
          setOutput: () => undefined,
          print: () => undefined,
          trigger: 'bench',
        },
      );
    const [, firstMs] = await timed(deploy);
    record('first deploy (emulator, 200 ms transitions)', `${firstMs.toFixed(0)} ms`);
    const before = emulator.requestLog().length;
    const [, noopMs] = await timed(deploy);
    const calls = emulator.requestLog().slice(before);
    record('no-op redeploy', `${noopMs.toFixed(0)} ms`);
    record('no-op redeploy API calls', `${calls.length} (${calls.map((c) => c.action).join(', ')})`);
  } finally {
    await emulator.stop();
  }
  record('peak RSS of this process', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  await rm(work, { recursive: true, force: true });
}
