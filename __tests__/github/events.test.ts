import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { format } from 'prettier';
import { parse } from 'yaml';
import { autoSummary, autoTable } from '../../src/github/events.js';

const read = (path: string) => readFileSync(path, 'utf8');
const words = (text: string) => text.replace(/\s+/g, ' ').trim();

test('the README shows the event table of command: auto as the action follows it', async () => {
  const readme = read('README.md');
  const begin = readme.indexOf('<!-- auto-table:begin');
  const end = readme.indexOf('<!-- auto-table:end -->');
  assert.ok(begin > 0 && end > begin, 'README.md has the auto-table markers');
  const shown = readme.slice(readme.indexOf('\n', begin) + 1, end).trim();
  const expected = (await format(autoTable(), { parser: 'markdown' })).trim();
  assert.equal(shown, expected, `README.md is stale; the table between the markers is:\n${expected}`);
});

test('action.yml describes command: auto with the same table', () => {
  const { description } = parse(read('action.yml')).inputs.command as { description: string };
  assert.ok(
    words(description).includes(words(autoSummary())),
    `action.yml's command description should contain:\n${autoSummary()}`,
  );
});
