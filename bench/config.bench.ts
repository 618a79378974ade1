// `node --import tsx bench/config.bench.ts`: how long resolving an s.yaml takes as it grows towards the
// caps of src/config/limits.ts, and how long refusing hostile files beyond them takes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resolveSpec } from '../src/config/index.js';

const work = await mkdtemp(join(tmpdir(), 'agentrun-config-bench-'));
const record = (name: string, value: string) => console.log(`${name.padEnd(52)} ${value}`);

/** The median of three runs (after one unmeasured run that warms the JIT up) and how it ended. */
async function resolveTimed(text: string): Promise<string> {
  const dir = await mkdtemp(join(work, 'case-'));
  await writeFile(join(dir, 's.yaml'), text);
  const once = async () => {
    const start = performance.now();
    const outcome = await resolveSpec({ cwd: dir, env: {} }).then(
      () => 'resolved',
      () => 'refused',
    );
    return { ms: performance.now() - start, outcome };
  };
  await once();
  const runs = [await once(), await once(), await once()].sort((a, b) => a.ms - b.ms);
  return `${runs[1].ms.toFixed(0)} ms, ${runs[1].outcome}, ${(text.length / 1024).toFixed(0)} KiB`;
}

const keys = (count: number) =>
  `edition: 3.0.0\nvars:\n${Array.from({ length: count }, (_, i) => `  key${i}: value-${i}\n`).join('')}resources: {}\n`;

function aliasBomb(): string {
  const lines = ['edition: 3.0.0', 'vars:', '  l0: &l0 [x, x, x, x, x, x, x, x, x]'];
  for (let level = 1; level <= 9; level++) {
    lines.push(`  l${level}: &l${level} [${Array.from({ length: 9 }, () => `*l${level - 1}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\nresources: {}\n`;
}

try {
  // The first files resolved also pay for compiling the resolver: warm it up on a mid-sized file.
  await resolveTimed(keys(5_000));
  for (const count of [2_500, 5_000, 9_900, 20_000, 40_000, 150_000]) {
    record(`${count.toLocaleString('en-US')} keys in one map`, await resolveTimed(keys(count)));
  }
  record('alias bomb, nine levels of nine', await resolveTimed(aliasBomb()));
  const depth = 500_000;
  record(
    `${depth.toLocaleString('en-US')} nested flow sequences`,
    await resolveTimed(
      `edition: 3.0.0\nvars:\n  a: ${'['.repeat(depth)}${']'.repeat(depth)}\nresources: {}\n`,
    ),
  );
  const big = Array.from({ length: 4000 }, (_, i) => `    k${i}: v\n`).join('');
  record(
    '4,000-key value referenced 4,000 times',
    await resolveTimed(
      `edition: 3.0.0\nvars:\n  big:\n${big}resources:\n  a:\n    component: agentrun\n    props:\n      list:\n${'        - ${vars.big}\n'.repeat(4000)}`,
    ),
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
