// Runs node's test runner over every __tests__/**/*.test.ts (or the files given), on whichever node
// runs this script. Node 20's --test does not expand globs itself, hence the listing here.
// `--unit` runs the fast tier: everything but the suites that start servers and processes.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.name !== 'fixtures')
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return testFiles(path);
      return entry.name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}

/** Suites that start the emulator, agent processes, CLI processes or containers, or write big trees. */
const SLOW = [
  '__tests__/e2e/',
  '__tests__/package/zip64',
  '__tests__/reliability/package-hostile',
  '__tests__/emulator/',
  '__tests__/cli/',
  '__tests__/credentials/oidc-emulator',
  '__tests__/reliability/fault-campaign',
  '__tests__/reliability/secret-leak',
  '__tests__/build/cache.',
  '__tests__/build/docker.',
  '__tests__/build/failures.',
  '__tests__/build/java.',
];

const args = process.argv.slice(2);
const unit = args.includes('--unit');
const given = args.filter((arg) => arg !== '--unit');
const files = (given.length ? given : testFiles('__tests__')).filter(
  (file) => !unit || !SLOW.some((prefix) => file.startsWith(prefix)),
);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
