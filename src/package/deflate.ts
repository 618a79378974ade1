import type { gzipSync } from 'node:zlib';

/** What `incompressible` looks at: the head of a file, and how much of it is deflated as a trial. */
export interface Probe {
  /** Bytes whose entropy is measured. */
  probeBytes: number;
  /** Bytes deflated as a trial when the entropy is high: files up to this size are deflated whole anyway. */
  sampleBytes: number;
  /** Order-0 entropy, bits per byte, above which the trial is made (text and code stay far below). */
  maxEntropy: number;
}

/**
 * The probe packaging uses: 4 KiB measured, a 64 KiB trial. Random 4 KiB measure about 7.95 bits per
 * byte, compressed formats (wheels, images, shared libraries' data) above 7.5, source text 4 to 6.
 */
export const PROBE: Probe = { probeBytes: 4096, sampleBytes: 64 * 1024, maxEntropy: 7.5 };

/**
 * Whether a file longer than `probe.sampleBytes` is not worth deflating, judged by its head: entropy
 * above `maxEntropy`, and deflating its first `sampleBytes` does not make them smaller. Such a file is
 * stored as is, which saves deflating megabytes of images or wheels only to store them anyway; the
 * rule depends on the content alone, so the zip stays deterministic.
 *
 * Self-contained on purpose (no outside names; gzip and scratch space passed in): the deflate workers
 * run its source text.
 */
export function incompressible(
  content: Uint8Array,
  probe: Probe,
  counts: Uint32Array,
  gzip: typeof gzipSync,
  level: number,
): boolean {
  counts.fill(0);
  const measured = Math.min(probe.probeBytes, content.length);
  for (let i = 0; i < measured; i++) counts[content[i]!]!++;
  let entropy = 0;
  for (let value = 0; value < 256; value++) {
    const share = counts[value]! / measured;
    if (share > 0) entropy -= share * Math.log2(share);
  }
  if (entropy <= probe.maxEntropy) return false;
  const sample = content.subarray(0, probe.sampleBytes);
  // A gzip member is the deflate stream plus 18 bytes of header and trailer.
  return gzip(sample, { level }).length - 18 >= sample.length;
}

/** A file's content as a zip entry holds it: deflated, or stored when deflating does not make it smaller. */
export interface Deflated {
  stored: boolean;
  crc32: number;
  /** Size of the content as read. */
  size: number;
  data: Buffer;
}

/**
 * Deflates `content` at `level`, or stores it when deflating does not make it smaller or its head says
 * so (`isIncompressible`). gzip rather than deflateRaw: its trailer carries the CRC-32 (zlib.crc32 is
 * missing before Node 20.15), and the deflate stream sits between a 10-byte header and that 8-byte
 * trailer. Self-contained like `incompressible`, which is passed in for the same reason.
 */
export function deflateWhole(
  content: Buffer,
  level: number,
  probe: Probe,
  counts: Uint32Array,
  gzip: typeof gzipSync,
  isIncompressible: typeof incompressible,
): Deflated {
  if (content.length > probe.sampleBytes && isIncompressible(content, probe, counts, gzip, level)) {
    const copy = gzip(content, { level: 0 });
    return { stored: true, crc32: copy.readUInt32LE(copy.length - 8), size: content.length, data: content };
  }
  const gz = gzip(content, { level });
  const crc32 = gz.readUInt32LE(gz.length - 8);
  const deflated = gz.subarray(10, gz.length - 8);
  const stored = deflated.length >= content.length;
  return { stored, crc32, size: content.length, data: stored ? content : deflated };
}
