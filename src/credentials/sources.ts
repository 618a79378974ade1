import { CredentialsError } from './errors.js';
import { CICD_ALIAS_ENV, ENV_KEY_PAIRS, type EnvKeyPair, aliasKeyEnv } from './names.js';
import type { Credentials, Environment } from './types.js';

type Mask = (value: string | undefined) => void;

/** The value trimmed, or undefined when absent or blank (unset action inputs arrive as ''). */
export function given(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * Credentials travel in HTTP headers (the signature's key id, the security token), where a line break or
 * control character makes every request fail as if the network were down. Alibaba Cloud's keys and
 * tokens are printable ASCII without spaces.
 */
const CREDENTIAL_CHARACTERS = /^[\x21-\x7E]*$/;

/** Refuses a credential with a character that cannot go into a header; never shows the value. */
function checkCharacters(name: string, value: string | undefined): void {
  if (value === undefined || CREDENTIAL_CHARACTERS.test(value)) return;
  const characters = [...value];
  const index = characters.findIndex((character) => !CREDENTIAL_CHARACTERS.test(character));
  const character = characters[index];
  const what = /[\r\n]/.test(character)
    ? 'a line break'
    : /\s/.test(character)
      ? 'white space'
      : `the character U+${(character.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
  throw new CredentialsError(
    `${name} contains ${what} at character ${index + 1}; credentials are printable ASCII without spaces. ` +
      'Copy the value into the secret again, on one line and without quotes.',
  );
}

type PairValues = { id?: string; secret?: string; token?: string; accountId?: string };

/** A complete key pair from `raw`, undefined if none of it is there, an error naming what is missing. */
export function readKeyPair(raw: PairValues, names: EnvKeyPair, mask: Mask): Credentials | undefined {
  const id = given(raw.id);
  const secret = given(raw.secret);
  const token = given(raw.token);
  const accountId = given(raw.accountId);
  [id, secret, token].forEach(mask);
  if (!id && !secret && !token) return undefined;
  const named = (pairs: [string | undefined, string | undefined][], wanted: boolean) =>
    pairs.filter(([name, value]) => name && Boolean(value) === wanted).map(([name]) => name);
  const missing = named(
    [
      [names.id, id],
      [names.secret, secret],
      [names.accountId, accountId],
    ],
    false,
  );
  if (!id || !secret || missing.length > 0) {
    const present = named(
      [
        [names.id, id],
        [names.secret, secret],
        [names.token, token],
      ],
      true,
    );
    throw new CredentialsError(
      `Incomplete credentials in ${names.label}: ${missing.join(', ')} not set ` +
        `(${present.join(', ')} set). ` +
        'Set the missing value, or remove the others to use another source.',
    );
  }
  checkCharacters(names.id, id);
  checkCharacters(names.secret, secret);
  if (names.token) checkCharacters(names.token, token);
  return {
    accessKeyId: id,
    accessKeySecret: secret,
    ...(token && { securityToken: token }),
    ...(accountId && { accountId }),
    source: names.label,
  };
}

/** The first environment key pair in ENV_KEY_PAIRS order that is set. */
export function fromEnvironment(env: Environment, mask: Mask): Credentials | undefined {
  for (const pair of ENV_KEY_PAIRS) {
    const values = {
      id: env[pair.id],
      secret: env[pair.secret],
      token: pair.token && env[pair.token],
      accountId: pair.accountId && env[pair.accountId],
    };
    const found = readKeyPair(values, pair, mask);
    if (found) return found;
  }
  return undefined;
}

/** The Serverless Devs alias in effect: the CI override, else the s.yaml `access`, else `default`. */
export function aliasOf(alias: string | undefined, env: Environment): string {
  const cicdAlias = env.GITHUB_ACTIONS === 'true' ? given(env[CICD_ALIAS_ENV]) : undefined;
  return cicdAlias ?? given(alias) ?? 'default';
}

/** Serverless Devs' `<alias>_serverless_devs_key` JSON (s-yaml.md §6.1). */
export function fromAliasKey(
  alias: string | undefined,
  env: Environment,
  mask: Mask,
): Credentials | undefined {
  const name = aliasKeyEnv(aliasOf(alias, env));
  const json = given(env[name]);
  if (!json) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    // The value is a secret: say where it is, never what it is.
    throw new CredentialsError(
      `${name} is not valid JSON; expected {"AccountID":…,"AccessKeyID":…,"AccessKeySecret":…}.`,
    );
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  // `s config` writes strings, but a hand-written AccountID is easily a JSON number.
  const text = (key: string) => {
    const value = record[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  return readKeyPair(
    {
      id: text('AccessKeyID'),
      secret: text('AccessKeySecret'),
      token: text('SecurityToken'),
      accountId: text('AccountID'),
    },
    {
      id: `${name}.AccessKeyID`,
      secret: `${name}.AccessKeySecret`,
      token: `${name}.SecurityToken`,
      label: name,
    },
    mask,
  );
}
