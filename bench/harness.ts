// The benchmark table's machinery: run a subject and its reference in turn, N times, and report each
// figure beside its reference as a ratio (min / median / max over the repeats) against a goal.
// Suites (bench/*.bench.ts) build their comparisons from `command` and `inProcess` subjects.
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

/** wall and cpu in milliseconds, rss (peak resident set) in MiB, calls a count. */
export type Metric = 'wall' | 'cpu' | 'rss' | 'calls';
export type Sample = Partial<Record<Metric, number>>;

export interface Subject {
  label: string;
  run(): Promise<Sample>;
}

/** A line group of the table: what is measured and how it is judged. */
export interface Figure {
  /** What is measured, e.g. "packaging 214 MB / 20,000 files vs zip -r -q -X". */
  figure: string;
  metrics: Metric[];
  /** The most the median ratio subject / reference may be, per metric (1.0: at least as fast). */
  goals?: Partial<Record<Metric, number>>;
  /** What the figure shows or what limits it: printed under the table. */
  note?: string;
}

export interface Comparison extends Figure {
  subject: Subject;
  /** Measured in the same run, in turn with the subject; without one the figure stands alone. */
  reference?: Subject;
  repeats: number;
}

export interface Result {
  figure: Figure;
  subject: { label: string; samples: Sample[] };
  reference?: { label: string; samples: Sample[] };
}

/**
 * Runs the comparison's subject and reference alternately, `repeats` times each, swapping which goes
 * first on every repeat so that a machine growing busier (it is shared) weighs on both alike.
 */
export async function measure(comparison: Comparison): Promise<Result> {
  const { subject, reference, repeats, ...figure } = comparison;
  const result: Result = {
    figure,
    subject: { label: subject.label, samples: [] },
    reference: reference && { label: reference.label, samples: [] },
  };
  for (let i = 0; i < repeats; i++) {
    const runs: [Subject, Sample[]][] = [[subject, result.subject.samples]];
    if (reference) runs.push([reference, result.reference!.samples]);
    if (i % 2 === 1) runs.reverse();
    for (const [run, samples] of runs) samples.push(await run.run());
  }
  return result;
}

/**
 * Repeat by repeat, `a - b` for each metric both samples have: for a figure computed from samples
 * taken for others, such as how much more memory the larger of two trees took.
 */
export function difference(a: Sample[], b: Sample[]): Sample[] {
  return a.map((sample, i) => {
    const other = b[i] ?? {};
    const metrics = Object.keys(sample) as Metric[];
    return Object.fromEntries(
      metrics
        .filter((metric) => other[metric] !== undefined)
        .map((metric) => [metric, sample[metric]! - other[metric]!]),
    );
  });
}

/**
 * A command measured by GNU time: wall clock, CPU (user + system, children included) and peak RSS.
 * `scratch` is a file GNU time may write its report to.
 */
export function command(label: string, argv: string[], options: { cwd?: string; scratch: string }): Subject {
  return {
    label,
    async run() {
      const started = performance.now();
      const timeArgs = ['-f', '%U %S %M', '-o', options.scratch, ...argv];
      const status = await new Promise<number | null>((resolve, reject) => {
        const child = spawn('/usr/bin/time', timeArgs, {
          cwd: options.cwd,
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        child.on('error', reject);
        child.on('exit', resolve);
      });
      const wall = performance.now() - started;
      if (status !== 0) throw new Error(`${argv.join(' ')} exited with ${status}`);
      const [user, system, rssKiB] = (await readFile(options.scratch, 'utf8'))
        .trim()
        .split(/\s+/)
        .map(Number);
      await rm(options.scratch, { force: true });
      return { wall, cpu: (user! + system!) * 1000, rss: rssKiB! / 1024 };
    },
  };
}

/** A function of this process: wall clock and CPU; whatever else it reports (calls…) is kept. */
export function inProcess(label: string, fn: () => Promise<Sample | void>): Subject {
  return {
    label,
    async run() {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const extra = (await fn()) ?? {};
      const wall = performance.now() - started;
      const used = process.cpuUsage(cpu);
      return { wall, cpu: (used.user + used.system) / 1000, ...extra };
    },
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const UNITS: Record<Metric, (value: number) => string> = {
  wall: (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`),
  cpu: (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s CPU` : `${ms.toFixed(0)} ms CPU`),
  rss: (mib) => `${mib.toFixed(0)} MiB peak`,
  calls: (count) => `${count.toFixed(0)} calls`,
};

/** The results as one Markdown table, then the notes of the comparisons that have one. */
export function formatTable(results: Result[]): string {
  const lines = [
    '| figure | ours (median) | reference (median) | ratio min / median / max | goal | verdict |',
    '|---|---|---|---|---|---|',
  ];
  for (const { figure: comparison, subject, reference } of results) {
    for (const metric of comparison.metrics) {
      const values = (samples: Sample[] = []) =>
        samples.map((sample) => sample[metric]).filter((value) => value !== undefined);
      const ours = values(subject.samples);
      if (ours.length === 0) continue;
      const theirs = values(reference?.samples);
      const figure = `${comparison.figure}: ${metric}`;
      const oursText = `${subject.label} ${UNITS[metric](median(ours))}`;
      if (theirs.length !== ours.length) {
        lines.push(`| ${figure} | ${oursText} | — | — | — | — |`);
        continue;
      }
      // Ratios per repeat: each pair ran back to back, under the same load.
      const ratios = ours.map((value, i) => value / theirs[i]!);
      const ratioText = [Math.min(...ratios), median(ratios), Math.max(...ratios)]
        .map((ratio) => `${ratio.toFixed(2)}×`)
        .join(' / ');
      const goal = comparison.goals?.[metric];
      const verdict =
        goal === undefined
          ? '—'
          : median(ratios) <= goal
            ? 'met'
            : `**missed** by ${(median(ratios) / goal).toFixed(2)}×`;
      lines.push(
        `| ${figure} | ${oursText} | ${reference!.label} ${UNITS[metric](median(theirs))} | ` +
          `${ratioText} | ${goal === undefined ? '—' : `≤ ${goal.toFixed(2)}×`} | ${verdict} |`,
      );
    }
  }
  const notes = results.map((result) => result.figure).filter((figure) => figure.note);
  if (notes.length > 0) lines.push('', ...notes.map(({ figure, note }) => `- ${figure}: ${note}`));
  return lines.join('\n');
}
