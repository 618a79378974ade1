import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { gzipSync } from 'node:zlib';
import { Worker } from 'node:worker_threads';
import { PROBE, deflateWhole, incompressible, type Deflated } from './deflate.js';

/** Reads and deflates whole files, on worker threads or on the calling thread. */
export interface Deflater {
  /** The file at `source` read and deflated (`size` is its listed size); rejects with its read error. */
  deflate(source: string, size: number): Promise<Deflated>;
  close(): Promise<void>;
}

/**
 * Below this many listed bytes, files are deflated on the calling thread: starting workers costs more
 * than a small tree's deflate, and a fleet of small agents would start a pair per agent.
 */
const WORKERS_MIN_BYTES = 4 * 1024 * 1024;

/** The deflater for a tree of `bytes`: worker threads, or the calling thread for a small tree. */
export function deflaterFor(bytes: number, level: number): Deflater {
  return bytes < WORKERS_MIN_BYTES ? new InlineDeflater(level) : new DeflatePool(level);
}

/** Deflates on the calling thread, synchronously: for trees too small to be worth a worker. */
class InlineDeflater implements Deflater {
  private readonly counts = new Uint32Array(256);

  constructor(private readonly level: number) {}

  deflate(source: string): Promise<Deflated> {
    try {
      const content = readFileSync(source);
      return Promise.resolve(deflateWhole(content, this.level, PROBE, this.counts, gzipSync, incompressible));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** What a worker failed on: the error's code (ENOENT, EACCES…) and message, as the main thread reports it. */
export interface WorkerReadError {
  code?: string;
  message: string;
}

/** Files sent to a worker in one message, at most: one message per file would cost more than a small file's deflate. */
const BATCH_FILES = 64;
/** …and at most this many bytes, so that both workers get a share of a run of large files. */
const BATCH_BYTES = 1024 * 1024;

/**
 * The worker's code, run with `eval`: a string, so that it works the same from the sources and from the
 * bundle, where no separate file sits at a known path. For each file of a batch it reads the file whole,
 * runs `deflateWhole` on it, and sends the results back end to end in one message per batch.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, readSync } = require('node:fs');
const { gzipSync } = require('node:zlib');
const { level, probe } = workerData;
const counts = new Uint32Array(256);
const incompressible = (${incompressible.toString()});
const deflateWhole = (${deflateWhole.toString()});
// One buffer for the content read and one for the batch's answer, reused: a fresh allocation per file
// leaves the thread's heap holding the peak of every size seen.
let scratch = Buffer.allocUnsafe(1 << 20);
let answer = Buffer.allocUnsafe(1 << 20);
function read(source) {
  const fd = openSync(source, 'r');
  try {
    let size = 0;
    for (;;) {
      if (size === scratch.length) {
        const grown = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(grown);
        scratch = grown;
      }
      const read = readSync(fd, scratch, size, scratch.length - size, null);
      if (read === 0) return scratch.subarray(0, size);
      size += read;
    }
  } finally {
    closeSync(fd);
  }
}
parentPort.on('message', ({ id, sources }) => {
  const results = [];
  let total = 0;
  for (const source of sources) {
    try {
      const content = read(source);
      const { stored, crc32, data } = deflateWhole(content, level, probe, counts, gzipSync, incompressible);
      if (total + data.length > answer.length) {
        const grown = Buffer.allocUnsafe(Math.max(answer.length * 2, total + data.length));
        answer.copy(grown, 0, 0, total);
        answer = grown;
      }
      data.copy(answer, total);
      results.push({ stored, crc32, size: content.length, length: data.length });
      total += data.length;
    } catch (error) {
      results.push({ error: { code: error.code, message: error.message } });
    }
  }
  // A copy of the filled part, transferred: cloning a view would copy the whole answer buffer, which
  // stays here for the next batch.
  const bytes = new Uint8Array(total);
  bytes.set(answer.subarray(0, total));
  parentPort.postMessage({ id, results, bytes }, [bytes.buffer]);
});
`;

type Result = { stored: boolean; crc32: number; size: number; length: number } | { error: WorkerReadError };
/** A batch's answer: a result per file, and their data end to end in `bytes`. */
type Answer = { id: number; results: Result[]; bytes: Uint8Array };

interface Pending {
  source: string;
  size: number;
  resolve(value: Deflated): void;
  reject(error: WorkerReadError): void;
}

interface PoolWorker {
  worker: Worker;
  /** Bytes sent and not yet answered: the next batch goes to the least loaded worker. */
  load: number;
}

/**
 * Worker threads that read and deflate whole files, one per processor, so that compression runs on
 * every core while the main thread only writes. Files asked for in the same turn of the event loop are
 * sent in batches. `close()` ends the workers.
 */
export class DeflatePool implements Deflater {
  private readonly workers: PoolWorker[];
  private readonly batches = new Map<number, { pending: Pending[]; to: PoolWorker; bytes: number }>();
  private queue: Pending[] = [];
  private nextId = 0;
  private failure: Error | undefined;

  constructor(level: number, size = availableParallelism()) {
    this.workers = Array.from({ length: Math.max(1, size) }, () => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { level, probe: PROBE },
        resourceLimits: { maxYoungGenerationSizeMb: 2 },
      });
      worker.on('message', (message: Answer) => this.settle(message));
      worker.on('error', (error) => this.fail(error));
      return { worker, load: 0 };
    });
  }

  /** Reads and deflates the file at `source` (`size` as listed, to balance the load). */
  deflate(source: string, size: number): Promise<Deflated> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0) queueMicrotask(() => this.dispatch());
      this.queue.push({ source, size, resolve, reject });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }

  private dispatch(): void {
    const queue = this.queue;
    this.queue = [];
    for (let start = 0; start < queue.length;) {
      let end = start;
      let bytes = 0;
      while (end < queue.length && end - start < BATCH_FILES && (end === start || bytes < BATCH_BYTES)) {
        bytes += queue[end++]!.size;
      }
      const pending = queue.slice(start, end);
      const to = this.workers.reduce((least, candidate) => (candidate.load < least.load ? candidate : least));
      const id = this.nextId++;
      this.batches.set(id, { pending, to, bytes });
      to.load += bytes + pending.length;
      to.worker.postMessage({ id, sources: pending.map((p) => p.source) });
      start = end;
    }
  }

  private settle({ id, results, bytes }: Answer): void {
    const batch = this.batches.get(id)!;
    this.batches.delete(id);
    batch.to.load -= batch.bytes + batch.pending.length;
    let offset = 0;
    results.forEach((result, i) => {
      const { resolve, reject } = batch.pending[i]!;
      if ('error' in result) return reject(result.error);
      const { stored, crc32, size, length } = result;
      resolve({ stored, crc32, size, data: Buffer.from(bytes.buffer, bytes.byteOffset + offset, length) });
      offset += length;
    });
  }

  /** A worker that dies takes its batches with it: everything still waiting fails. */
  private fail(error: Error): void {
    this.failure = error;
    for (const { pending } of this.batches.values()) for (const p of pending) p.reject(error);
    this.batches.clear();
  }
}
