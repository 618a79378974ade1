/** The deep merge s uses everywhere (the `extend2` package, i.e. jQuery's `$.extend(true, ...)`). */

/** A plain object as extend2 sees it (not an array, not a class instance). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Merges `sources` into a new object: plain objects are merged key by key, everything else (arrays
 * included) replaces; `undefined` is skipped but `null` overrides (and is dropped later by interpolation).
 */
export function deepMerge(...sources: unknown[]): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  for (const source of sources) {
    if (!isPlainObject(source)) continue;
    for (const [key, value] of Object.entries(source)) {
      if (key === '__proto__') continue;
      if (isPlainObject(value)) {
        target[key] = deepMerge(isPlainObject(target[key]) ? target[key] : {}, value);
      } else if (value !== undefined) {
        target[key] = value;
      }
    }
  }
  return target;
}
