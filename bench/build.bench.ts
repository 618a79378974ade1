// `node --import tsx bench/build.bench.ts`: dependency builds of examples/node-agent on this machine,
// cold (cache miss: the install runs) and cached (cache hit: the tree is restored, nothing installed),
// in Docker when the build image is present and with the local npm. Medians of a few runs.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { directoryCache } from '../src/build/cache.js';
import { DependencyBuilder, type BuildSettings } from '../src/build/index.js';
import { createConsoleLogger } from '../src/cli/logger.js';
import { systemClock } from '../src/system/clock.js';
import { processRunner } from '../src/system/runner.js';

const IMAGE = 'agentrun-build/nodejs:bookworm';
const RUNS = 3;
const codeDir = resolve('examples/node-agent/code');
const work = await mkdtemp(join(tmpdir(), 'agentrun-bench-build-'));
const record = (name: string, value: string) => console.log(`${name.padEnd(44)} ${value}`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Build times in ms: `RUNS` cold builds (each with an empty cache), then `RUNS` cache hits. */
async function measure(settings: Omit<BuildSettings, 'cache' | 'timeoutMs'>): Promise<[number[], number[]]> {
  const cold: number[] = [];
  const cached: number[] = [];
  for (let run = 0; run < RUNS * 2; run++) {
    const isCold = run < RUNS;
    const cacheDir = join(work, isCold ? `cache-${run}` : 'cache-0');
    const builder = new DependencyBuilder({
      settings: { ...settings, cache: true, timeoutMs: 600_000 },
      env: process.env,
      tempDir: join(work, `build-${run}`),
      logger: createConsoleLogger({ write: () => undefined }),
      runner: processRunner,
      cache: directoryCache(cacheDir),
      clock: systemClock,
    });
    const built = await builder.build({
      resource: 'agent',
      codeDir,
      language: 'nodejs20',
      command: ['node', 'index.js'],
    });
    if (built?.cache !== (isCold ? 'miss' : 'hit'))
      throw new Error(`expected a cache ${isCold ? 'miss' : 'hit'}`);
    (isCold ? cold : cached).push(built.ms);
    await builder.cleanup();
  }
  return [cold, cached];
}

try {
  const docker = spawnSync('docker', ['image', 'inspect', IMAGE], { stdio: 'ignore' }).status === 0;
  type Mode = [string, Omit<BuildSettings, 'cache' | 'timeoutMs'>];
  const inDocker: Mode = [`docker (${IMAGE})`, { mode: 'docker', image: IMAGE }];
  const modes: Mode[] = [...(docker ? [inDocker] : []), ['local npm', { mode: 'local' }]];
  if (!docker) record('docker', `skipped: no ${IMAGE} (scripts/runtime-images.sh)`);
  for (const [name, settings] of modes) {
    const [cold, cached] = await measure(settings);
    record(`node-agent ${name}, cold`, `${median(cold)} ms (runs: ${cold.join(', ')})`);
    record(`node-agent ${name}, cached`, `${median(cached)} ms (runs: ${cached.join(', ')})`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
