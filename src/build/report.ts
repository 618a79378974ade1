import yauzl from 'yauzl';
import { formatBytes } from '../package/errors.js';
import type { BuiltDependencies } from './index.js';

/** Fixed parts of a zip's local and central directory headers, around each name. */
const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;

/** What the entries under `prefixes` take in the zip: their compressed data and both headers. */
export async function zipBytesUnder(zipPath: string, prefixes: readonly string[]): Promise<number> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  let bytes = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (!prefixes.some((prefix) => entry.fileName.startsWith(`${prefix}/`))) continue;
      const extra = entry.extraFieldLength + entry.fileCommentLength;
      bytes += entry.compressedSize + LOCAL_HEADER + CENTRAL_HEADER + 2 * entry.fileNameLength + extra;
    }
  } finally {
    zip.close();
  }
  return bytes;
}

/** `45 ms`, `12.3 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The job summary's dependency table; `zipBytes` by resource, when it was packaged. */
export function buildSummaryMarkdown(
  builds: readonly BuiltDependencies[],
  zipBytes: ReadonlyMap<string, number>,
): string {
  if (builds.length === 0) return '';
  const rows = builds.map((built) => {
    const added = zipBytes.get(built.resource);
    return cells([
      built.resource,
      `${built.place}: \`${built.builder}\``,
      built.cache === 'hit' ? 'hit (no install)' : built.cache,
      formatDuration(built.ms),
      added === undefined ? '—' : `${formatBytes(added)} (${built.prefix}/)`,
    ]);
  });
  return [
    '### Dependencies',
    '',
    cells(['resource', 'built in', 'cache', 'time', 'added to the zip']),
    cells(['---', '---', '---', '---', '---']),
    ...rows,
    '',
  ].join('\n');
}

const cells = (values: string[]) => `| ${values.map((v) => v.replace(/\|/g, '\\|')).join(' | ')} |`;
