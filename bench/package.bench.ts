// Packaging rows: `agentrun-deploy package` beside `zip -r -q -X` and archiver's defaults on the same
// generated trees, each as a whole process; the tree fingerprint beside packaging; memory as the tree
// grows.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { bundleAction } from './bundle.js';
import { command, difference, measure, type Result, type Subject } from './harness.js';
import { writeTree, type TreeShape } from './tree.js';

/** Side by side with zip: the median of five. */
const REPEATS = 5;
/** The other rows, slower and only for reference. */
const OTHER_REPEATS = 3;
const SMALL: TreeShape = { files: 5_000, bytes: 50e6 };
const LARGE: TreeShape = { files: 20_000, bytes: 214e6 };
/** LARGE's bytes in SMALL's files: what memory does when only the bytes grow. */
const HEAVY: TreeShape = { files: 5_000, bytes: 214e6 };

const describe = (shape: TreeShape) =>
  `${(shape.bytes / 1e6).toFixed(0)} MB / ${shape.files.toLocaleString('en')} files`;

export async function run(work: string): Promise<Result[]> {
  const child = path.join(work, 'child.mjs');
  await build({
    entryPoints: [path.join(import.meta.dirname, 'child.ts')],
    outfile: child,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    // As scripts/bundle.mjs: CommonJS dependencies call require().
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  const { cli } = await bundleAction(path.join(work, 'dist'));
  const scratch = path.join(work, 'scratch');
  await mkdir(scratch);
  const timeReport = path.join(work, 'time.txt');
  const trees = new Map<TreeShape, string>();
  const configs = new Map<TreeShape, string>();
  for (const shape of [SMALL, LARGE, HEAVY]) {
    const name = `tree-${shape.files}-${shape.bytes}`;
    trees.set(shape, path.join(work, name));
    await writeTree(trees.get(shape)!, shape);
    // One agent whose code is the tree, for the CLI.
    configs.set(shape, path.join(work, `${name}.yaml`));
    await writeFile(
      configs.get(shape)!,
      `edition: 3.0.0\nname: bench\nresources:\n  agent:\n    component: agentrun\n    props:\n` +
        `      region: cn-hangzhou\n      agent:\n        name: bench-agent\n` +
        `        code: { src: ./${name}, language: python3.12, command: [python3, main.py] }\n`,
    );
  }
  const packageCommand = (shape: TreeShape, label = 'ours'): Subject =>
    command(
      label,
      [process.execPath, cli, 'package', configs.get(shape)!, '--out', scratch, '--max-inline-size', '1GiB'],
      { scratch: timeReport },
    );
  const node = (operation: string, shape: TreeShape, label = 'ours'): Subject =>
    command(label, [process.execPath, child, operation, trees.get(shape)!, scratch], { scratch: timeReport });
  const zip = (shape: TreeShape): Subject => {
    const out = path.join(scratch, 'zip.zip');
    const subject = command('zip', ['zip', '-r', '-q', '-X', out, '.'], {
      cwd: trees.get(shape),
      scratch: timeReport,
    });
    // zip adds to an existing archive: each run must start from none.
    return { ...subject, run: () => rm(out, { force: true }).then(subject.run) };
  };

  const results: Result[] = [];
  const versusZip = new Map<TreeShape, Result>();
  for (const shape of [SMALL, LARGE]) {
    const ours = packageCommand(shape);
    const result = await measure({
      figure: `agentrun-deploy package ${describe(shape)} vs zip -r -q -X`,
      subject: ours,
      reference: zip(shape),
      metrics: ['wall', 'cpu', 'rss'],
      // 1.5x zip's speed, with no more CPU than zip.
      goals: { wall: 1 / 1.5, cpu: 1.0 },
      repeats: REPEATS,
    });
    versusZip.set(shape, result);
    results.push(
      result,
      await measure({
        figure: `packaging ${describe(shape)} vs archiver defaults`,
        subject: ours,
        reference: node('archiver', shape, 'archiver'),
        metrics: ['wall', 'cpu', 'rss'],
        goals: { wall: 1.0, cpu: 1.0, rss: 1.0 },
        repeats: OTHER_REPEATS,
      }),
      await measure({
        figure: `tree fingerprint ${describe(shape)} vs packaging it`,
        subject: node('fingerprint', shape, 'fingerprint'),
        reference: ours,
        metrics: ['wall', 'cpu'],
        goals: { wall: 0.2 },
        repeats: OTHER_REPEATS,
      }),
    );
  }
  const [small, large] = [versusZip.get(SMALL)!, versusZip.get(LARGE)!];
  results.push(
    {
      figure: {
        figure: `packaging memory from ${describe(SMALL)} to ${describe(LARGE)}, growth`,
        metrics: ['rss'],
        note:
          "the listing (sorted names) and the central directory grow with the number of files, as zip's " +
          'do; file contents never stay in memory.',
      },
      subject: { label: 'ours +', samples: difference(large.subject.samples, small.subject.samples) },
      reference: { label: 'zip +', samples: difference(large.reference!.samples, small.reference!.samples) },
    },
    await measure({
      figure: `packaging memory, ${describe(HEAVY)} vs ${describe(SMALL)}`,
      subject: packageCommand(HEAVY),
      reference: packageCommand(SMALL, `ours on ${describe(SMALL)}`),
      metrics: ['rss'],
      goals: { rss: 1.1 },
      note: 'memory must stay flat when only the bytes grow: at most 10% more peak RSS for 4x the bytes.',
      repeats: OTHER_REPEATS,
    }),
  );
  return results;
}
