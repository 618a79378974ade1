import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import yauzl from 'yauzl';
import { writeZip } from '../../src/package/zip.js';
import { tempDir } from './helpers.js';

void test('writes a ZIP64 end record past 65,535 entries, which readers then count in full', async () => {
  const dir = await tempDir();
  const source = path.join(dir, 'one.txt');
  await writeFile(source, 'x');
  // One file on disk under many names: the count is what matters here, not 65,600 file creations.
  const files = Array.from({ length: 65_600 }, (_, i) => ({
    name: `d${Math.floor(i / 1000)}/f${String(i).padStart(5, '0')}`,
    source,
    size: 1,
    mode: 0o644,
  }));
  const zipPath = path.join(dir, 'many.zip');
  await writeZip(files, zipPath);
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  assert.equal(zip.entryCount, 65_600);
  let last: yauzl.Entry | undefined;
  for await (const entry of zip.eachEntry()) last = entry;
  assert.equal(last?.fileName, 'd65/f65599');
});
