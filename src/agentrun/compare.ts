import { isEchoed } from './service.js';

/**
 * What differs between a desired request body and the resource the API returns, as dotted field paths.
 * Only fields we send and a GET returns are compared (see SERVICE.notEchoed): the service fills in
 * defaults we never asked for, and never returns some of what we send. An empty value (`''`, `[]`,
 * `{}`) and an absent one are the same, since an answer may leave empty fields out. Maps such as
 * `environmentVariables` compare whole, so a key the user removed counts as a change.
 */
const EXACT_MAPS = new Set(['environmentVariables']);

export function changedFields(
  desired: Readonly<Record<string, unknown>>,
  remote: Readonly<Record<string, unknown>>,
  prefix = '',
): string[] {
  return Object.entries(desired).flatMap(([key, want]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (want === undefined || !isEchoed(path)) return [];
    const have = remote[key];
    if (isPlainObject(want) && isPlainObject(have) && !EXACT_MAPS.has(key)) {
      return changedFields(want, have, path);
    }
    return sameValue(want, have) ? [] : [path];
  });
}

function sameValue(a: unknown, b: unknown): boolean {
  if (isEmpty(a) || isEmpty(b)) return isEmpty(a) && isEmpty(b);
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

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.values(value).every(isEmpty);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
