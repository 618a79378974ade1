// Generates code trees for the packaging rows: the same bytes on every machine and every run (seeded),
// shaped like an agent with its dependencies vendored — mostly source and text that compresses, some
// binaries that do not, many small files and a couple of large ones.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface TreeShape {
  files: number;
  bytes: number;
}

/** xorshift32: a fast deterministic generator; quality is irrelevant here, reproducibility is not. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

const WORDS = (
  'import from def return class self const let function async await if else for while in of try ' +
  'except raise throw new this null None True False export default yield lambda with as print log ' +
  'request response agent model token stream client server config value result error data item ' +
  'index count name path state event handler message prompt context memory tool call input output'
).split(' ');

/**
 * 4 MiB of code-like text: lines drawn mostly from a pool of 3,000, as source repeats its idioms, so
 * deflate compresses it about as much as real code (3-4x).
 */
function textCorpus(next: () => number): Buffer {
  const word = (): string => WORDS[Math.floor(next() * WORDS.length)]!;
  const pool = Array.from({ length: 3000 }, () => {
    const indent = ' '.repeat(2 * Math.floor(next() * 4));
    const words = Array.from({ length: 3 + Math.floor(next() * 9) }, word);
    return `${indent}${words.join(' ')}\n`;
  });
  const lines: string[] = [];
  let size = 0;
  while (size < 4 * 1024 * 1024) {
    const line =
      next() < 0.8
        ? pool[Math.floor(next() ** 2 * pool.length)]!
        : `    ${word()}_${Math.floor(next() * 1e6)} = ${word()}\n`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join(''));
}

function randomBytes(next: () => number, size: number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4));
  for (let i = 0; i < words.length; i++) words[i] = next() * 0x1_0000_0000;
  return Buffer.from(words.buffer, 0, size);
}

/**
 * Writes `shape.files` files totalling about `shape.bytes` under `root`: two large files (a 16/214 share
 * of random bytes like a native library, an 8/214 share of text like a vocabulary), the rest with
 * log-normal sizes, one in ten random bytes (images, wheels), the others text, 40 files per
 * directory, two levels deep.
 */
export async function writeTree(root: string, shape: TreeShape): Promise<void> {
  const next = random(0x5eed);
  const corpus = textCorpus(next);
  const text = (size: number): Buffer => {
    const start = Math.floor(next() * (corpus.length - size));
    return corpus.subarray(start, start + size);
  };
  const bigBinary = Math.round((shape.bytes * 16) / 214);
  const bigText = Math.round((shape.bytes * 8) / 214);
  await mkdir(path.join(root, 'lib'), { recursive: true });
  await writeFile(path.join(root, 'lib/libnative.so'), randomBytes(next, bigBinary));
  await writeFile(path.join(root, 'lib/vocab.json'), text(bigText));

  const count = shape.files - 2;
  // Log-normal (sigma 1.5, Box-Muller), scaled so the small files share the remaining bytes.
  const weights = Array.from({ length: count }, () => {
    const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    return Math.exp(1.5 * normal);
  });
  const scale = (shape.bytes - bigBinary - bigText) / weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, `pkg${Math.floor(i / 800)}`, `mod${Math.floor(i / 40) % 20}`);
    if (i % 40 === 0) await mkdir(dir, { recursive: true });
    const size = Math.max(1, Math.min(Math.round(weights[i]! * scale), corpus.length - 1));
    const binary = i % 10 === 0;
    await writeFile(
      path.join(dir, `file${i}.${binary ? 'bin' : 'py'}`),
      binary ? randomBytes(next, size) : text(size),
    );
  }
}
