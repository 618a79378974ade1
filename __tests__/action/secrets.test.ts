import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMaskable, redact, redactDeep } from '../../src/secrets.js';

test('the masking rule hides secrets but not the values a mask would garble every log line with', () => {
  const masked = ['sk-live-1234', 'hunter2', 'abcd', '123456', '1234567890123456', 'https://db.internal'];
  const shown = ['', 'abc', 'true', 'False', 'yes', 'off', 'null', '8000', '3600', '12345', '0.5', ' 42 '];
  for (const value of masked) assert.equal(isMaskable(value), true, value);
  for (const value of shown) assert.equal(isMaskable(value), false, value);
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
