import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Crc64, crc64 } from '../../src/package/crc64.js';

void test('matches the CRC-64/XZ check value (what OSS reports as x-oss-hash-crc64ecma)', () => {
  assert.equal(crc64(Buffer.from('123456789')), '11051210869376104954');
  assert.equal(crc64(new Uint8Array()), '0');
});

void test('gives the same digest streamed in uneven chunks as in one shot', () => {
  const data = randomBytes(100_003);
  const streamed = new Crc64();
  for (let offset = 0, size = 1; offset < data.length; offset += size, size = (size * 7) % 4099 || 1) {
    streamed.update(data.subarray(offset, offset + size));
  }
  assert.equal(streamed.digest(), crc64(data));
});
