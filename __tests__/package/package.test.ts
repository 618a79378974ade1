import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { crc32 } from 'node:zlib';
import { PackageError, packageCode } from '../../src/package/index.js';
import { crc64 } from '../../src/package/crc64.js';
import { loadExclusionRules } from '../../src/package/rules.js';
import { listFiles } from '../../src/package/walk.js';
import { writeZip } from '../../src/package/zip.js';
import { readZip, tempDir, writeTree } from './helpers.js';

const TREE: Record<string, string> = {
  'main.py': 'print("hello")\n',
  'run.sh': '#!/bin/sh\nexec python3 main.py\n',
  'lib/util.py': 'X = 1\n',
  'lib/deep/data.json': '{"a": 1}\n',
  'Zed.txt': 'capital sorts first in byte order\n',
  'é.txt': 'non-ASCII name\n',
};

/** packageCode with the zip it writes for a directory removed after the test file. */
async function pack(src: string, baseDir = '/') {
  const pkg = await packageCode({ src, baseDir });
  if (pkg.source === 'directory')
    after(() => rm(path.dirname(pkg.zipPath), { recursive: true, force: true }));
  return pkg;
}

/** Builds TREE in `order`, with the given mtime and permission bits, as differently as a checkout could. */
async function buildTree(root: string, order: string[], mtime: Date, fileMode: number, exeMode: number) {
  for (const name of order) await writeTree(root, { [name]: TREE[name]! });
  for (const name of order) {
    await chmod(path.join(root, name), name.endsWith('.sh') ? exeMode : fileMode);
    await utimes(path.join(root, name), mtime, mtime);
  }
}

function withTimeZone<T>(tz: string, fn: () => Promise<T>): Promise<T> {
  const previous = process.env.TZ;
  process.env.TZ = tz;
  return fn().finally(() => {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  });
}

void describe('packageCode: directory', () => {
  void test('gives byte-identical zips whatever the creation order, mtimes, modes and TZ', async () => {
    const dir = await tempDir();
    const names = Object.keys(TREE);
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    await buildTree(a, names, new Date('2021-03-04T05:06:07Z'), 0o644, 0o755);
    await buildTree(b, [...names].reverse(), new Date('2024-11-12T13:14:15Z'), 0o600, 0o700);

    const first = await withTimeZone('Pacific/Kiritimati', () => pack(a));
    const second = await withTimeZone('America/Los_Angeles', async () => {
      // Proves the TZ switch took effect, so the comparison below means something.
      assert.equal(new Date(Date.UTC(2000, 0, 1)).getHours(), 16);
      return pack(b);
    });

    assert.deepEqual(await readFile(first.zipPath), await readFile(second.zipPath));
    assert.equal(first.checksum, second.checksum);
    assert.equal(first.checksum, crc64(await readFile(first.zipPath)));
    assert.equal(first.bytes, (await readFile(first.zipPath)).length);
    assert.equal(first.files, names.length);
    assert.equal(first.source, 'directory');
  });

  void test('stores entries in byte order with normalised modes and the original content', async () => {
    const dir = await tempDir();
    await buildTree(dir, Object.keys(TREE), new Date(), 0o640, 0o744);
    const entries = await readZip((await pack(dir)).zipPath);
    assert.deepEqual(
      entries.map((e) => [e.name, e.mode.toString(8)]),
      [
        ['Zed.txt', '644'],
        ['lib/deep/data.json', '644'],
        ['lib/util.py', '644'],
        ['main.py', '644'],
        ['run.sh', '755'],
        ['é.txt', '644'],
      ],
    );
    for (const entry of entries) assert.equal(entry.content, TREE[entry.name]);
  });

  void test('deflates what compresses, stores what does not, streams large files; CRCs check out', async () => {
    const dir = await tempDir();
    const text = Buffer.from('def handler(event, context):\n    return event\n'.repeat(200_000));
    const files: Record<string, Buffer> = {
      'empty.txt': Buffer.alloc(0),
      'random.bin': randomBytes(50_000),
      // Its head looks random and does not shrink: stored without deflating the rest.
      'wheel.whl': randomBytes(300_000),
      // A text head: deflated whole.
      'mixed.bin': Buffer.concat([text.subarray(0, 8192), randomBytes(200_000)]),
      'text.py': text.subarray(0, 100_000),
      // Over the size read whole: streamed through deflate, with a data descriptor.
      'large.txt': text,
      'large-random.bin': randomBytes(6 * 1024 * 1024),
    };
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
    const pkg = await pack(dir);
    const entries = await readZip(pkg.zipPath);
    assert.deepEqual(
      entries.map((e) => [e.name, e.method]),
      [
        ['empty.txt', 0],
        ['large-random.bin', 8],
        ['large.txt', 8],
        ['mixed.bin', 8],
        ['random.bin', 0],
        ['text.py', 8],
        ['wheel.whl', 0],
      ],
    );
    for (const entry of entries) {
      assert.deepEqual(entry.bytes, files[entry.name], entry.name);
      assert.equal(entry.crc32, crc32(entry.bytes), `${entry.name}: recorded CRC-32`);
    }
    // Random data costs barely more than its own size; text shrinks.
    assert.ok(pkg.bytes < 6 * 1024 * 1024 + 550_000 + 64 * 1024 + text.length / 50);
  });

  void test('gives byte-identical zips for large, streamed files too', async () => {
    const dir = await tempDir();
    const content = Buffer.concat([randomBytes(3 * 1024 * 1024), Buffer.alloc(3 * 1024 * 1024, 'abc')]);
    const zips: Buffer[] = [];
    for (const copy of ['a', 'b']) {
      await writeTree(dir, { [`${copy}/small.txt`]: 'x' });
      await writeFile(path.join(dir, copy, 'large.bin'), content);
      zips.push(await readFile((await pack(path.join(dir, copy))).zipPath));
    }
    assert.deepEqual(zips[0], zips[1]);
  });

  void test('honours .arignore and .fcignore; never packages .git, .env*, node_modules/.cache', async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      'main.py': 'ok',
      'debug.log': 'ignored by .arignore',
      'keep.log': 're-included by .arignore',
      'build/out.bin': 'ignored directory',
      'secret.txt': 'ignored by .fcignore',
      '.arignore': '*.log\n!keep.log\nbuild/\n!.env\n',
      '.fcignore': 'secret.txt\n',
      '.env': 'A=1',
      '.env.local': 'A=2',
      '.env.example': 'A=',
      '.envrc': 'export A=3',
      'sub/.env.production': 'A=4',
      'sub/.ENV': 'A=5',
      'py/.env/bin/activate': 'virtualenv named .env',
      '.git/config': '[core]',
      'pkg/.git': 'gitdir: ../.git/modules/pkg',
      'node_modules/.cache/babel/x.json': '{}',
      'node_modules/left-pad/index.js': 'module.exports = 1',
      'sub/node_modules/.cache/y': 'nested cache',
    });
    const entries = await readZip((await pack(dir)).zipPath);
    assert.deepEqual(
      entries.map((e) => e.name),
      ['keep.log', 'main.py', 'node_modules/left-pad/index.js'],
    );
  });

  void test('stores a symlink that stays inside the tree as the file or directory it points to', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'main.py': 'real', 'lib/a.py': 'A' });
    await symlink('main.py', path.join(dir, 'alias.py'));
    await symlink('lib', path.join(dir, 'lib2'));
    const entries = await readZip((await pack(dir)).zipPath);
    assert.deepEqual(
      entries.map((e) => [e.name, e.content]),
      [
        ['alias.py', 'real'],
        ['lib/a.py', 'A'],
        ['lib2/a.py', 'A'],
        ['main.py', 'real'],
      ],
    );
  });

  void test('refuses a symlink that leaves the tree, is broken, loops or points at a .env file', async () => {
    const cases: [string, string, RegExp][] = [
      ['escape', '../outside.txt', /outside the code directory/],
      ['absolute', '/etc/hostname', /outside the code directory/],
      ['broken', 'missing.txt', /is broken/],
      ['loop', '.', /one of its own parent directories/],
      ['config', '.env', /never packaged/],
    ];
    for (const [name, target, reason] of cases) {
      const dir = await tempDir();
      const code = path.join(dir, 'code');
      await writeTree(dir, { 'outside.txt': 'x', 'code/main.py': 'x', 'code/.env': 'A=1' });
      await symlink(target, path.join(code, name));
      await assert.rejects(pack(code), (error: Error) => {
        assert.ok(error instanceof PackageError, `${name}: ${error.message}`);
        assert.ok(error.message.includes(path.join(code, name)), `${name} names the link: ${error.message}`);
        assert.ok(error.message.includes(target), `${name} names the target: ${error.message}`);
        assert.match(error.message, reason);
        return true;
      });
    }
  });

  void test('accepts an escaping symlink the ignore rules exclude', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'main.py': 'x', '.arignore': 'venv/\n' });
    await mkdir(path.join(dir, 'venv/bin'), { recursive: true });
    await symlink('/usr/bin/env', path.join(dir, 'venv/bin/python'));
    await symlink('/nonexistent', path.join(dir, 'venv-link'));
    await writeFile(path.join(dir, '.fcignore'), 'venv-link\n');
    assert.deepEqual(
      (await readZip((await pack(dir)).zipPath)).map((e) => e.name),
      ['main.py'],
    );
  });

  void test('resolves a relative src against baseDir', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'code/main.py': 'x' });
    const pkg = await pack('./code', dir);
    assert.equal(pkg.files, 1);
  });
});

void describe('packageCode: ready zip', () => {
  void test('uses a .zip as is and measures it', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'code/main.py': 'x', 'code/lib/a.py': 'y' });
    const built = await pack(path.join(dir, 'code'));
    const ready = path.join(dir, 'ready.zip');
    await writeFile(ready, await readFile(built.zipPath));

    const pkg = await pack(ready);
    assert.deepEqual(pkg, {
      zipPath: ready,
      bytes: built.bytes,
      files: 2,
      checksum: built.checksum,
      source: 'zip',
    });
  });

  void test('refuses a file that is not a zip, and a missing src', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'fake.zip': 'not a zip', 'main.py': 'x' });
    await assert.rejects(pack(path.join(dir, 'fake.zip')), PackageError);
    await assert.rejects(pack(path.join(dir, 'main.py')), /must be a directory or a \.zip file/);
    await assert.rejects(pack(path.join(dir, 'nope')), /does not exist/);
  });
});

void test('a file gone between the listing and the read fails with its name, whoever deflates it', async () => {
  // A small tree is deflated on the calling thread; one over a few MiB on worker threads.
  for (const big of [0, 6 * 1024 * 1024]) {
    const dir = await tempDir();
    await writeTree(dir, { 'a.py': 'a = 1\n', 'gone.py': 'b = 2\n' });
    if (big) await writeFile(path.join(dir, 'big.bin'), randomBytes(big));
    const { files } = listFiles(dir, await loadExclusionRules(dir));
    await rm(path.join(dir, 'gone.py'));
    await assert.rejects(writeZip(files, path.join(dir, '..', `out-${big}.zip`)), (error: Error) => {
      assert.ok(error instanceof PackageError, String(error));
      assert.match(error.message, /^Cannot read "gone\.py" \(.*gone\.py\): ENOENT\.$/);
      return true;
    });
    await rm(path.join(dir, '..', `out-${big}.zip`), { force: true });
  }
});
