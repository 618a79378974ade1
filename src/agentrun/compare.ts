/**
 * What differs between the desired request body and what the API reports. Only fields we send are
 * compared — the service fills in defaults we never asked for — except in maps such as
 * `environmentVariables`, where a key the user removed must count as a change.
 */
const EXACT_MAPS = new Set(['environmentVariables']);
/** Sent, but never echoed back: the code itself is represented by its checksum. */
const WRITE_ONLY = new Set(['zipFile']);

export function changedFields(
  desired: Record<string, unknown>,
  remote: Record<string, unknown>,
  prefix = '',
): string[] {
  return Object.entries(desired).flatMap(([key, want]) => {
    if (want === undefined || WRITE_ONLY.has(key)) return [];
    const path = prefix ? `${prefix}.${key}` : key;
    const have = remote[key];
    if (isPlainObject(want) && isPlainObject(have) && !EXACT_MAPS.has(key))
      return changedFields(want, have, path);
    return sameValue(want, have) ? [] : [path];
  });
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => sameValue(item, b[i]))
    );
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key], b[key]));
  }
  return a === b;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
