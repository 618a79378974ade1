import assert from 'node:assert/strict';
import { chmod, readFile, rename, rm, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { PackageError, packageCode, treeFingerprint } from '../../src/package/index.js';
import { tempDir, writeTree } from './helpers.js';

const TREE: Record<string, string> = {
  'main.py': 'print("hello")\n',
  'run.sh': '#!/bin/sh\nexec python3 main.py\n',
  'lib/deep/data.json': '{"a": 1}\n',
  'é.txt': 'non-ASCII name\n',
  '.arignore': '*.log\n',
  'debug.log': 'ignored\n',
  '.env': 'SECRET=1\n',
  'node_modules/.cache/x': 'cache\n',
};

const fingerprint = (dir: string) => treeFingerprint({ src: dir, baseDir: '/' });

/** A fresh copy of TREE with run.sh executable, written in the given order. */
async function build(order = Object.keys(TREE)): Promise<string> {
  const dir = await tempDir();
  for (const name of order) await writeTree(dir, { [name]: TREE[name]! });
  await chmod(path.join(dir, 'run.sh'), 0o755);
  return dir;
}

void describe('treeFingerprint', () => {
  void test('is the same for the same content whatever the creation order, mtimes and umask', async () => {
    const a = await build();
    const b = await build(Object.keys(TREE).reverse());
    for (const name of Object.keys(TREE)) {
      await utimes(path.join(b, name), new Date('2001-02-03T04:05:06Z'), new Date('2001-02-03T04:05:06Z'));
      if (name !== 'run.sh') await chmod(path.join(b, name), 0o600);
    }
    assert.match(await fingerprint(a), /^[0-9a-f]{64}$/);
    assert.equal(await fingerprint(a), await fingerprint(b));
  });

  void test('changes when any packaged file changes, appears, disappears, is renamed or made executable', async () => {
    const base = await fingerprint(await build());
    const changes: [string, (dir: string) => Promise<void>][] = [
      ['one byte deep down', (dir) => writeFile(path.join(dir, 'lib/deep/data.json'), '{"a": 2}\n')],
      ['a file added', (dir) => writeFile(path.join(dir, 'lib/new.py'), '')],
      ['a file removed', (dir) => unlink(path.join(dir, 'main.py'))],
      ['a rename', (dir) => rename(path.join(dir, 'main.py'), path.join(dir, 'app.py'))],
      ['the execute bit', (dir) => chmod(path.join(dir, 'main.py'), 0o755)],
      [
        'a link replacing a file',
        async (dir) => {
          await unlink(path.join(dir, 'main.py'));
          await symlink('run.sh', path.join(dir, 'main.py'));
        },
      ],
      ['an ignore rule that lets a file in', (dir) => writeFile(path.join(dir, '.arignore'), '')],
    ];
    const seen = new Set([base]);
    for (const [what, change] of changes) {
      const dir = await build();
      await change(dir);
      const changed = await fingerprint(dir);
      assert.ok(!seen.has(changed), `${what} changes the fingerprint`);
      seen.add(changed);
    }
  });

  void test('ignores what is never packaged: ignored files, .env, caches', async () => {
    const dir = await build();
    const before = await fingerprint(dir);
    await writeTree(dir, {
      'debug.log': 'other',
      '.env': 'SECRET=2',
      'node_modules/.cache/y': 'z',
      '.git/HEAD': 'x',
    });
    assert.equal(await fingerprint(dir), before);
  });

  void test('equal fingerprints come with byte-identical packages', async () => {
    const a = await build();
    const b = await build(Object.keys(TREE).reverse());
    await utimes(path.join(b, 'main.py'), new Date(0), new Date(0));
    const [zipA, zipB] = await Promise.all([a, b].map((dir) => packageCode({ src: dir, baseDir: '/' })));
    assert.equal(await fingerprint(a), await fingerprint(b));
    assert.deepEqual(await readFile(zipA!.zipPath), await readFile(zipB!.zipPath));
    for (const zip of [zipA!, zipB!]) await rm(path.dirname(zip.zipPath), { recursive: true });
  });

  void test('covers a ready zip by its bytes', async () => {
    const dir = await tempDir();
    const code = await build();
    const pkg = await packageCode({ src: code, baseDir: '/', tempDir: dir });
    const zip = path.join(dir, 'code.zip');
    await writeFile(zip, await readFile(pkg.zipPath));
    const first = await fingerprint(zip);
    assert.notEqual(first, await fingerprint(code));
    await writeFile(path.join(code, 'main.py'), 'changed');
    const changed = await packageCode({ src: code, baseDir: '/', tempDir: dir });
    await writeFile(zip, await readFile(changed.zipPath));
    assert.notEqual(await fingerprint(zip), first);
  });

  void test('refuses what packaging refuses, with the same message', async () => {
    const dir = await build();
    await symlink('/etc/hostname', path.join(dir, 'escape'));
    const packaging = await packageCode({ src: dir, baseDir: '/' }).catch((e: Error) => e);
    const fingerprinting = await fingerprint(dir).catch((e: Error) => e);
    assert.ok(packaging instanceof PackageError);
    assert.deepEqual(fingerprinting, packaging);
  });
});
