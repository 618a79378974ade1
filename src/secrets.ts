/**
 * Which values get masked in logs. GitHub replaces every occurrence of a registered secret in every
 * log line, so registering "true", "1" or "8000" would garble the whole log while hiding nothing.
 * Rule: mask every value of 4 or more characters, except the boolean words and numbers of fewer than
 * 6 digits (ports, sizes, timeouts); longer numbers may be tokens or account ids and are masked.
 */
export function isMaskable(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length < 4) return false;
  if (/^(true|false|null|yes|no|on|off)$/i.test(trimmed)) return false;
  return !/^[+-]?\d{1,5}(\.\d+)?$/.test(trimmed);
}

/** Replaces every secret in `text` with `***`, longest first so overlapping secrets hide fully. */
export function redact(text: string, secrets: Iterable<string>): string {
  const ordered = [...new Set(secrets)]
    .filter((secret) => secret.length > 0)
    .sort((a, b) => b.length - a.length);
  return ordered.reduce((out, secret) => out.split(secret).join('***'), text);
}

/** The values of `values` that the masking rule above says to hide. */
export function maskableSecrets(values: Iterable<string>): string[] {
  return [...new Set(values)].filter(isMaskable);
}

/** `redact` applied to every string inside a JSON-like value, so masking survives JSON escaping. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return redact(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, secrets)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)])) as T;
  }
  return value;
}
