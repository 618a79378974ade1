/**
 * The most configuration we accept. Real s.yaml files are a few kilobytes with a few hundred keys and
 * nest about eight levels deep; these caps sit far above that, and below them loading stays linear.
 * Beyond them a file is refused with a clear error instead of exhausting memory, the stack or time.
 */

/** Largest s.yaml, extended file, `.env` file or `${file()}` we read. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** Most keys and list items in one file, counted after aliases and `<<` merges are expanded. */
export const MAX_ENTRIES = 10_000;

/** Deepest nesting of maps and lists, counted after aliases are expanded. */
export const MAX_DEPTH = 64;

/**
 * Most keys and list items interpolation may create for one file, every pass included. A `${vars.x}`
 * copies x wherever it is used, so 4,000 uses of a 4,000-key value are 16 million values from a
 * 136 KB file; real files, templates and shared values included, stay far below.
 */
export const MAX_RESOLVED_ENTRIES = 10 * MAX_ENTRIES;

/** Whether a JSON-like value nests deeper than `max` levels; iterative, so any depth is safe to ask. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

/** `1048576` → `1 MiB`, for messages. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const [value, unit] = bytes < 1024 ** 2 ? [bytes / 1024, 'KiB'] : [bytes / 1024 ** 2, 'MiB'];
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}
