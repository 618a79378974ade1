// Packaging rows: our zip beside `zip -r -q -X` and archiver's defaults on the same generated trees,
// each in its own process; the tree fingerprint beside packaging; memory as the tree grows.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { command, difference, measure, type Result, type Subject } from './harness.js';
import { writeTree, type TreeShape } from './tree.js';

const REPEATS = 3;
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
  const scratch = path.join(work, 'scratch');
  await mkdir(scratch);
  const timeReport = path.join(work, 'time.txt');
  const trees = new Map<TreeShape, string>();
  for (const shape of [SMALL, LARGE, HEAVY]) {
    trees.set(shape, path.join(work, `tree-${shape.files}-${shape.bytes}`));
    await writeTree(trees.get(shape)!, shape);
  }
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
    const ours = node('package', shape);
    const result = await measure({
      figure: `packaging ${describe(shape)} vs zip -r -q -X`,
      subject: ours,
      reference: zip(shape),
      metrics: ['wall', 'cpu', 'rss'],
      goals: { wall: 1.0 },
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
        repeats: REPEATS,
      }),
      await measure({
        figure: `tree fingerprint ${describe(shape)} vs packaging it`,
        subject: node('fingerprint', shape, 'fingerprint'),
        reference: ours,
        metrics: ['wall', 'cpu'],
        goals: { wall: 0.2 },
        repeats: REPEATS,
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
      subject: node('package', HEAVY),
      reference: node('package', SMALL, `ours on ${describe(SMALL)}`),
      metrics: ['rss'],
      goals: { rss: 1.1 },
      note: 'memory must stay flat when only the bytes grow: at most 10% more peak RSS for 4x the bytes.',
      repeats: REPEATS,
    }),
  );
  return results;
}
