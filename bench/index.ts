// `npm run bench`: every suite's figures in one table, each beside its reference measured in the same
// run, written to bench/results.md with the machine it ran on. Never part of `npm test`.
// `npm run bench -- fleet startup` runs those suites only, and prints without writing results.md.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { formatTable, type Result } from './harness.js';
import * as deploy from './deploy.bench.js';
import * as fleet from './fleet.bench.js';
import * as packaging from './package.bench.js';
import * as rollout from './rollout.bench.js';
import * as startup from './startup.bench.js';

/** Add a suite here: `run(work)` sets up in the scratch directory `work` and returns its results. */
const SUITES: { name: string; run(work: string): Promise<Result[]> }[] = [
  { name: 'packaging', run: packaging.run },
  { name: 'deploy', run: deploy.run },
  { name: 'fleet', run: fleet.run },
  { name: 'rollout', run: rollout.run },
  { name: 'startup', run: startup.run },
];

for (const tool of [
  ['zip', '-v'],
  ['/usr/bin/time', '--version'],
]) {
  try {
    execFileSync(tool[0]!, tool.slice(1), { stdio: 'ignore' });
  } catch {
    console.error(`The benchmark needs ${tool[0]}: apt-get install -y zip time`);
    process.exit(1);
  }
}

const only = process.argv.slice(2);
const unknown = only.filter((name) => !SUITES.some((suite) => suite.name === name));
if (unknown.length) {
  console.error(`No suite ${unknown.join(', ')}: the suites are ${SUITES.map((s) => s.name).join(', ')}.`);
  process.exit(1);
}
const selected = SUITES.filter((suite) => only.length === 0 || only.includes(suite.name));

const work = await mkdtemp(path.join(os.tmpdir(), 'agentrun-bench-'));
const results: Result[] = [];
try {
  for (const suite of selected) {
    console.error(`bench: ${suite.name}…`);
    const dir = path.join(work, suite.name);
    await mkdir(dir);
    results.push(...(await suite.run(dir)));
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

const machine =
  `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ` +
  `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB memory, Node ${process.version}, ${os.platform()} ${os.release()}; ` +
  `load average at the end ${os.loadavg()[0]!.toFixed(1)}`;
const resultsFile = path.join(import.meta.dirname, 'results.md');
// Through prettier, as every committed file is: this also aligns the table's columns for the console.
const markdown = await format(
  `# Benchmark results\n\n\`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine}.\n\n` +
    `${formatTable(results)}\n`,
  { ...(await resolveConfig(resultsFile)), parser: 'markdown' },
);
console.log(markdown);
if (selected.length === SUITES.length) await writeFile(resultsFile, markdown);
