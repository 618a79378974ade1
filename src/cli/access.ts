/**
 * The keys Serverless Devs users already have: `s config add` saves them in `~/.s/access.yaml`, one
 * entry per alias with `AccountID`, `AccessKeyID`, `AccessKeySecret` (and `SecurityToken`), each value
 * encrypted with a passphrase built into `s`.
 */
import { createDecipheriv, createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { aliasKeyEnv } from '../credentials/names.js';

/** The passphrase `s` encrypts with: the encryption hides nothing from anyone with the file. */
const PASSPHRASE = 'SecretKey123';

export interface SavedAccess {
  file: string;
  /** Decrypted fields by alias. */
  aliases: Record<string, Record<string, string>>;
}

/** `~/.s/access.yaml` (or `.yml`) under `home`, decrypted; undefined when there is none. */
export function readSavedAccess(home: string): SavedAccess | undefined {
  const file = ['access.yaml', 'access.yml'].map((name) => join(home, '.s', name)).find(existsSync);
  if (!file) return undefined;
  const content: unknown = parse(readFileSync(file, 'utf8'));
  const aliases: SavedAccess['aliases'] = {};
  if (content && typeof content === 'object') {
    for (const [alias, fields] of Object.entries(content)) {
      if (!fields || typeof fields !== 'object') continue;
      aliases[alias] = Object.fromEntries(
        Object.entries(fields).map(([key, value]) => [key, decrypt(String(value))]),
      );
    }
  }
  return { file, aliases };
}

/**
 * The saved keys as Serverless Devs' `<alias>_serverless_devs_key` variables, the form the credential
 * lookup reads. Without an `access` alias `s` uses the one `s config default` marked, so that one stands
 * in for `default` when there is no alias of that name.
 */
export function savedKeyVariables(saved: SavedAccess): Record<string, string> {
  const variables: Record<string, string> = {};
  const keys = (fields: Record<string, string>) =>
    JSON.stringify(Object.fromEntries(Object.entries(fields).filter(([key]) => !key.startsWith('__'))));
  for (const [alias, fields] of Object.entries(saved.aliases)) {
    if (!fields.AccessKeyID) continue;
    variables[aliasKeyEnv(alias)] = keys(fields);
    if (fields.__default === 'true' && !saved.aliases.default)
      variables[aliasKeyEnv('default')] = keys(fields);
  }
  return variables;
}

/**
 * Undoes crypto-js's `AES.encrypt(text, passphrase)`: OpenSSL's `Salted__` format, AES-256-CBC with
 * key and IV from EVP_BytesToKey (MD5). A value that is not such a cipher text is kept as it is, as
 * `s` keeps it.
 */
export function decrypt(value: string): string {
  const data = Buffer.from(value, 'base64');
  if (data.length < 32 || data.subarray(0, 8).toString('latin1') !== 'Salted__') return value;
  try {
    const { key, iv } = evpBytesToKey(Buffer.from(PASSPHRASE), data.subarray(8, 16));
    const decipher = createDecipheriv('aes-256-cbc', key, iv);
    return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8') || value;
  } catch {
    return value;
  }
}

function evpBytesToKey(passphrase: Buffer, salt: Buffer): { key: Buffer; iv: Buffer } {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  while (Buffer.concat(blocks).length < 48) {
    previous = createHash('md5')
      .update(Buffer.concat([previous, passphrase, salt]))
      .digest();
    blocks.push(previous);
  }
  const bytes = Buffer.concat(blocks);
  return { key: bytes.subarray(0, 32), iv: bytes.subarray(32, 48) };
}
