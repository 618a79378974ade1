import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMaskable, isSecretVariable, looksSecret, redact, redactDeep } from '../../src/secrets.js';

test('the masking rule hides secrets but not the values a mask would garble every log line with', () => {
  const masked = ['sk-live-1234', 'hunter2', 'abcd', '123456', '1234567890123456', 'https://db.internal'];
  const shown = ['', 'abc', 'true', 'False', 'yes', 'off', 'null', '8000', '3600', '12345', '0.5', ' 42 '];
  for (const value of masked) assert.equal(isMaskable(value), true, value);
  for (const value of shown) assert.equal(isMaskable(value), false, value);
});

test('a variable is secret by a word of its name, not by a word inside another', () => {
  const secret = ['API_KEY', 'MY_TOKEN', 'dbPassword', 'SENTRY_DSN', 'apiKey', 'OPENAI_APIKEY', 'OAuthToken'];
  const more = ['GITHUB_TOKEN', 'TLS_CERT', 'client-secret', 'ALIYUN_AK', 'DB_PASS', 'AUTH', 'PRIVATE_PEM'];
  const plain = [
    'REGION',
    'GREETING',
    'KEYBOARD_LAYOUT',
    'AUTHOR',
    'MONKEY',
    'PWD',
    'PASSENGER',
    'TOKENIZER',
  ];
  for (const name of [...secret, ...more]) assert.equal(looksSecret(name), true, name);
  for (const name of plain) assert.equal(looksSecret(name), false, name);
});

test('a listed name or a URL with a password makes any variable secret', () => {
  const listed = new Set(['INTERNAL_HOST']);
  assert.equal(isSecretVariable('INTERNAL_HOST', 'db.internal', listed), true);
  assert.equal(isSecretVariable('DATABASE_URL', 'postgres://app:s3cret@db/app', listed), true);
  assert.equal(isSecretVariable('CACHE_URL', 'redis://:s3cret@cache:6379', listed), true);
  assert.equal(isSecretVariable('DOCS_URL', 'https://example.com:8443/a@b', listed), false);
  assert.equal(isSecretVariable('REGION', 'cn-hangzhou', listed), false);
});

test('redact replaces the longest secrets first, so overlapping ones hide fully', () => {
  assert.equal(redact('token abc-123-xyz and abc-123', ['abc-123', 'abc-123-xyz']), 'token *** and ***');
});

test('redactDeep masks inside nested values before they are serialised', () => {
  const secret = 'pa"ss\\word\nline';
  const value = { env: { A: secret, B: `prefix-${secret}` }, list: [secret, 1, true] };
  const json = JSON.stringify(redactDeep(value, [secret]));
  assert.equal(json, '{"env":{"A":"***","B":"prefix-***"},"list":["***",1,true]}');
  // Serialising first would have escaped the quote, backslash and newline past the mask.
  assert.ok(redact(JSON.stringify(value), [secret]).includes('pa\\"ss'));
});
