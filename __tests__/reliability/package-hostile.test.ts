// Hostile code directories and zips, each built for real in a temp dir: every case must end in either a
// correct zip or one clear line naming the path and the way out — never a stack trace, a hang, a file
// from outside the workspace in the package, or a half-written zip left behind.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import yauzl from 'yauzl';
import {
  ALLOW_OUTSIDE_WORKSPACE,
  PackageError,
  packageCode,
  treeFingerprint,
  type CodePackage,
  type CodeSourceOptions,
} from '../../src/package/index.js';
import { rawZip, readZip, tempDir, writeTree } from '../package/helpers.js';

interface Expected {
  /** Every pattern must match the one-line error. */
  error?: RegExp[];
  /** Else the package's entry names, in order (or their count when there are too many to list). */
  files?: string[] | number;
  /** A warning that must have been logged. */
  warning?: RegExp;
}

interface HostileCase {
  name: string;
  /** Builds the hostile input; `ws` is the workspace and the s.yaml's directory, `outside` a sibling. */
  build(ws: string, outside: string): Promise<Partial<CodeSourceOptions> & { src: string }>;
  expect: Expected;
}

const mkfifo = (file: string) => execFileSync('mkfifo', [file]);

/** A Unix socket file as a crashed server leaves it (a clean close would remove it). */
function socketFile(file: string): void {
  const listenThenDie = `require('net').createServer().listen(${JSON.stringify(file)}, () => process.kill(process.pid, 'SIGKILL'))`;
  const result = spawnSync(process.execPath, ['-e', listenThenDie]);
  assert.equal(result.signal, 'SIGKILL');
}

const OUTSIDE_REMEDY = new RegExp(`outside the workspace .*${ALLOW_OUTSIDE_WORKSPACE}`);

const CASES: HostileCase[] = [
  // Code from outside the workspace.
  {
    name: 'code.src ../sibling',
    build: async (_ws, outside) => (await writeTree(outside, { 'main.py': 'x' }), { src: '../outside' }),
    expect: { error: [/"\.\.\/outside"/, OUTSIDE_REMEDY] },
  },
  {
    name: 'code.src an absolute path outside',
    build: async (_ws, outside) => (await writeTree(outside, { 'main.py': 'x' }), { src: outside }),
    expect: { error: [/resolves to .*outside/, OUTSIDE_REMEDY] },
  },
  {
    name: 'code.src ./agent a symlink to a directory outside',
    build: async (ws, outside) => {
      await writeTree(outside, { 'main.py': 'x' });
      await symlink(outside, path.join(ws, 'agent'));
      return { src: './agent' };
    },
    expect: { error: [/"\.\/agent" resolves through a symlink to .*outside/, OUTSIDE_REMEDY] },
  },
  {
    name: 'a ready zip linked from outside',
    build: async (ws, outside) => {
      await mkdir(outside);
      await writeFile(path.join(outside, 'code.zip'), rawZip([{ name: 'main.py', data: 'x' }]));
      await symlink(path.join(outside, 'code.zip'), path.join(ws, 'code.zip'));
      return { src: 'code.zip' };
    },
    expect: { error: [OUTSIDE_REMEDY] },
  },
  {
    name: 'code outside, explicitly allowed',
    build: async (_ws, outside) => {
      await writeTree(outside, { 'main.py': 'x' });
      return { src: '../outside', allowOutsideWorkspace: true };
    },
    expect: { files: ['main.py'] },
  },
  {
    name: 'an s.yaml in a subdirectory using ../code, inside the workspace',
    build: async (ws) => {
      await writeTree(ws, { 'code/main.py': 'x', 'deploy/s.yaml': '' });
      return { src: '../code', baseDir: path.join(ws, 'deploy'), workspace: ws };
    },
    expect: { files: ['main.py'] },
  },
  {
    name: 'a workspace that does not exist',
    build: async (ws) => (await writeTree(ws, { 'main.py': 'x' }), { src: '.', workspace: '/no/such/ws' }),
    expect: { error: [/workspace \/no\/such\/ws does not exist/] },
  },

  // Zip slip in a ready zip.
  ...[
    ['../evil.py', /"\.\.\/evil\.py" that climbs out/],
    ['lib/../../evil.py', /"lib\/\.\.\/\.\.\/evil\.py" that climbs out/],
    ['/etc/cron.d/evil', /"\/etc\/cron\.d\/evil" that is an absolute path/],
    ['C:/Windows/evil.dll', /"C:\/Windows\/evil\.dll" that is an absolute path/],
    ['..\\evil.py', /backslash/],
  ].map(([entry, reason]): HostileCase => ({
    name: `a ready zip with the entry ${entry as string}`,
    build: async (ws) => {
      const entries = [
        { name: 'main.py', data: 'x' },
        { name: entry as string, data: 'evil' },
      ];
      await writeFile(path.join(ws, 'code.zip'), rawZip(entries));
      return { src: 'code.zip' };
    },
    expect: { error: [reason as RegExp, /rebuild the zip without it/] },
  })),
  {
    name: 'a ready zip with a symlink entry pointing outside',
    build: async (ws) => {
      const link = { name: 'lib/passwd', data: '../../etc/passwd', mode: 0o120777 };
      await writeFile(path.join(ws, 'code.zip'), rawZip([{ name: 'main.py', data: 'x' }, link]));
      return { src: 'code.zip' };
    },
    expect: { error: [/symlink "lib\/passwd" -> "\.\.\/\.\.\/etc\/passwd" pointing outside/] },
  },
  {
    name: 'a ready zip with a symlink entry inside, and a .env',
    build: async (ws) => {
      const entries = [
        { name: 'lib/real.py', data: 'x' },
        { name: 'lib/alias.py', data: 'real.py', mode: 0o120777 },
        { name: '.env', data: 'A=1' },
      ];
      await writeFile(path.join(ws, 'code.zip'), rawZip(entries));
      return { src: 'code.zip' };
    },
    expect: {
      files: ['lib/real.py', 'lib/alias.py', '.env'],
      warning: /"\.env"; \.env files usually hold secrets/,
    },
  },
  {
    name: 'a truncated zip',
    build: async (ws) => {
      await writeFile(path.join(ws, 'code.zip'), rawZip([{ name: 'main.py', data: 'x' }]).subarray(0, 40));
      return { src: 'code.zip' };
    },
    expect: { error: [/code\.zip is not a usable zip/] },
  },
  {
    name: 'an empty file called .zip',
    build: async (ws) => (await writeFile(path.join(ws, 'code.zip'), ''), { src: 'code.zip' }),
    expect: { error: [/is not a usable zip/] },
  },

  // Symlinks that loop or lead astray.
  {
    name: 'two symlinks pointing at each other',
    build: async (ws) => {
      await writeTree(ws, { 'code/main.py': 'x' });
      await symlink('b', path.join(ws, 'code/a'));
      await symlink('a', path.join(ws, 'code/b'));
      return { src: 'code' };
    },
    expect: { error: [/code\/a -> b is a loop of symlinks; replace it with a copy or remove it/] },
  },
  {
    name: 'a symlink to itself',
    build: async (ws) => {
      await writeTree(ws, { 'code/main.py': 'x' });
      await symlink('self', path.join(ws, 'code/self'));
      return { src: 'code' };
    },
    expect: { error: [/self -> self is a loop of symlinks/] },
  },
  {
    name: 'a directory linking back to its parent',
    build: async (ws) => {
      await writeTree(ws, { 'code/lib/main.py': 'x' });
      await symlink('..', path.join(ws, 'code/lib/up'));
      return { src: 'code' };
    },
    expect: { error: [/code\/lib\/up points at .*code, one of its own parent directories; remove it/] },
  },
  {
    name: 'code.src itself a loop of symlinks',
    build: async (ws) => {
      await symlink('agent', path.join(ws, 'agent'));
      return { src: 'agent' };
    },
    expect: { error: [/code\.src "agent" is a loop of symlinks/] },
  },
  {
    name: 'a symlink to /dev/zero',
    build: async (ws) => {
      await writeTree(ws, { 'code/main.py': 'x' });
      await symlink('/dev/zero', path.join(ws, 'code/zero'));
      return { src: 'code' };
    },
    expect: { error: [/zero -> \/dev\/zero resolves to \/dev\/zero, outside the code directory/] },
  },
  {
    name: 'a symlink to .git/config',
    build: async (ws) => {
      await writeTree(ws, { 'code/main.py': 'x', 'code/.git/config': '[remote]' });
      await symlink('.git/config', path.join(ws, 'code/config'));
      return { src: 'code' };
    },
    expect: { error: [/never packaged/] },
  },

  // Things that are not regular files.
  {
    name: 'a FIFO in the code directory',
    build: async (ws) => {
      await writeTree(ws, { 'code/main.py': 'x' });
      mkfifo(path.join(ws, 'code/pipe'));
      return { src: 'code' };
    },
    expect: { files: ['main.py'], warning: /Not packaged: "pipe" is a socket, FIFO or device/ },
  },
  {
    name: 'a socket in the code directory',
    build: async (ws) => {
      await writeTree(ws, { 'code/main.py': 'x' });
      socketFile(path.join(ws, 'code/app.sock'));
      return { src: 'code' };
    },
    expect: { files: ['main.py'], warning: /Not packaged: "app\.sock" is a socket/ },
  },
  {
    name: 'a FIFO called code.zip as code.src',
    build: async (ws) => (mkfifo(path.join(ws, 'code.zip')), { src: 'code.zip' }),
    expect: { error: [/must be a directory or a \.zip file/] },
  },
  {
    name: '.arignore a FIFO',
    build: async (ws) => {
      await writeTree(ws, { 'code/main.py': 'x' });
      mkfifo(path.join(ws, 'code/.arignore'));
      return { src: 'code' };
    },
    expect: { error: [/\.arignore must be a regular file/] },
  },
  {
    name: '.fcignore a symlink to /dev/zero',
    build: async (ws) => {
      await writeTree(ws, { 'code/main.py': 'x' });
      await symlink('/dev/zero', path.join(ws, 'code/.fcignore'));
      return { src: 'code' };
    },
    expect: { error: [/\.fcignore must be a regular file/] },
  },
  {
    name: 'a 2 MB .arignore',
    build: async (ws) => {
      await writeTree(ws, { 'code/main.py': 'x', 'code/.arignore': '#'.repeat(2_000_000) });
      return { src: 'code' };
    },
    expect: { error: [/\.arignore is over 1048576 bytes/] },
  },

  // Names.
  {
    name: 'file names with a newline, spaces, quotes and a leading dash',
    build: async (ws) => {
      await writeTree(ws, { 'code/line\nbreak.py': 'a', 'code/a b "c".py': 'b', 'code/-rf': 'c' });
      return { src: 'code' };
    },
    expect: { files: ['-rf', 'a b "c".py', 'line\nbreak.py'] },
  },
  {
    name: 'a file name that is not UTF-8',
    build: async (ws) => {
      await writeTree(ws, { 'code/main.py': 'x' });
      writeFileSync(Buffer.concat([Buffer.from(`${ws}/code/`), Buffer.from([0x66, 0xff, 0xfe])]), 'x');
      return { src: 'code' };
    },
    expect: { error: [/"f\uFFFD\uFFFD" in .*code: its name is not valid UTF-8. Rename it/] },
  },
  {
    name: 'a backslash in a file name',
    build: async (ws) => (await writeTree(ws, { 'code/a\\..\\..\\b': 'x' }), { src: 'code' }),
    expect: { error: [/"a\\\\\.\.\\\\\.\.\\\\b": backslashes in file names are not portable; rename it/] },
  },
  {
    name: 'a 255-byte file name, 100 directories deep',
    build: async (ws) => {
      const deep = Array.from({ length: 100 }, (_, i) => `d${i}`).join('/');
      await writeTree(ws, { [`code/${deep}/${'n'.repeat(255)}`]: 'x' });
      return { src: 'code' };
    },
    expect: { files: 1 },
  },

  // Nothing, or a lot.
  {
    name: 'a directory of nothing but empty directories',
    build: async (ws) => (await mkdir(path.join(ws, 'code/a/b'), { recursive: true }), { src: 'code' }),
    expect: { error: [/contains no files to package/] },
  },
  {
    name: 'a directory whose every file is ignored',
    build: async (ws) => (
      await writeTree(ws, { 'code/main.py': 'x', 'code/.arignore': '*\n' }),
      { src: 'code' }
    ),
    expect: { error: [/contains no files to package/] },
  },
  {
    name: '20,000 tiny files',
    build: async (ws) => {
      for (let dir = 0; dir < 100; dir++) {
        await mkdir(path.join(ws, `code/d${dir}`), { recursive: true });
        for (let file = 0; file < 200; file++)
          writeFileSync(path.join(ws, `code/d${dir}/f${file}`), `${file}`);
      }
      return { src: 'code' };
    },
    expect: { files: 20_000 },
  },
];

const root = await tempDir('agentrun-hostile-');
let passed = 0;
after(() => console.log(`package hostile inputs: ${passed} of ${CASES.length} cases ended as expected`));

for (const [index, hostile] of CASES.entries()) {
  void test(hostile.name, { timeout: 60_000 }, async () => {
    const dir = path.join(root, `case${index}`);
    const ws = path.join(dir, 'ws');
    const temp = path.join(dir, 'tmp');
    await mkdir(ws, { recursive: true });
    await mkdir(temp);
    const options = { baseDir: ws, ...(await hostile.build(ws, path.join(dir, 'outside'))) };
    const warnings: string[] = [];
    const logger = {
      info: () => undefined,
      debug: () => undefined,
      warning: (m: string) => warnings.push(m),
    };
    const outcome = await packageCode({ ...options, tempDir: temp, logger }).catch((error: unknown) => error);
    const { error, files, warning } = hostile.expect;
    if (error) {
      assert.ok(outcome instanceof PackageError, `a PackageError, not ${String(outcome)}`);
      assert.doesNotMatch(outcome.message, /\n/, 'one line');
      for (const pattern of error) assert.match(outcome.message, pattern);
      assert.deepEqual(await readdir(temp), [], 'no zip left behind');
      // The fingerprint refuses the same input the same way.
      assert.deepEqual(await treeFingerprint(options).catch((e: unknown) => e), outcome);
    } else {
      assert.ok(!(outcome instanceof Error), `a package, not ${String(outcome)}`);
      const pkg = outcome as CodePackage;
      if (typeof files === 'number') assert.equal(await countEntries(pkg.zipPath), files);
      else
        assert.deepEqual(
          (await readZip(pkg.zipPath)).map((entry) => entry.name),
          files,
        );
      assert.match(await treeFingerprint(options), /^[0-9a-f]{64}$/);
    }
    if (warning)
      assert.ok(
        warnings.some((line) => warning.test(line)),
        `warned: ${warnings.join(' | ')}`,
      );
    passed++;
  });
}

async function countEntries(zipPath: string): Promise<number> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  let count = 0;
  for await (const entry of zip.eachEntry()) if (!entry.fileName.endsWith('/')) count++;
  return count;
}
