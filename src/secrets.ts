/**
 * Which values are secret, and which of those get masked in logs.
 *
 * A variable's value is secret when its name says so, when the user lists it in the `secret-env` input,
 * or when it is a URL carrying a password. Credentials and every value of the `dotenv` input are secret
 * whatever their names (their callers register them). Masking anything else would hide ordinary values
 * such as `REGION=cn-hangzhou` everywhere, and the runner drops every output that contains a masked value.
 */

/**
 * Words of a variable name that mark it as secret. A name is split into words at `_`, `-`, `.` and at
 * lower-to-upper case changes (`apiKey` → api, Key), so API_KEY, MY_TOKEN, dbPassword and SENTRY_DSN are
 * secret but KEYBOARD_LAYOUT, AUTHOR and MONKEY are not. PWD is left out: it is the shell's directory.
 */
const SECRET_WORDS = new Set(
  [
    ['KEY', 'KEYS', 'APIKEY', 'ACCESSKEY', 'SECRETKEY', 'PRIVATEKEY', 'AK', 'SK'],
    ['TOKEN', 'TOKENS', 'AUTHTOKEN', 'ACCESSTOKEN', 'SECRET', 'SECRETS'],
    ['PASSWORD', 'PASSWORDS', 'PASSWD', 'PASS', 'PASSPHRASE'],
    ['CREDENTIAL', 'CREDENTIALS', 'CREDS', 'AUTH', 'PRIVATE', 'DSN', 'CERT', 'CERTIFICATE', 'SIGNATURE'],
    ['COOKIE', 'SALT'],
  ].flat(),
);

/** Whether the name of a variable marks its value as secret (see SECRET_WORDS). */
export function looksSecret(name: string): boolean {
  return name
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .some((word) => SECRET_WORDS.has(word.toUpperCase()));
}

/** `postgres://user:password@host/db` and the like: the URL itself is the secret. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i;

/**
 * The rule for one environment variable: secret by its name, by being listed (the `secret-env` input),
 * or by a password in its URL value.
 */
export function isSecretVariable(name: string, value: string, listed: ReadonlySet<string>): boolean {
  return listed.has(name) || looksSecret(name) || URL_WITH_PASSWORD.test(value);
}

/**
 * Whether a secret value gets masked. GitHub replaces every occurrence of a registered secret in every
 * log line, so registering "true", "1" or "8000" would garble the whole log while hiding nothing: every
 * value of 4 or more characters is masked, except the boolean words and numbers of fewer than 6 digits
 * (ports, sizes, timeouts); longer numbers may be tokens or account ids and are masked.
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
