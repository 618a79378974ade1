// The release workflow's checks and notes: `node scripts/release-notes.mjs v1.2.3` verifies that the tag
// is a version, equals package.json's and has a CHANGELOG.md section, prints that section, and — on a
// runner — writes the `major` tag to move (`v1`, none for a pre-release) to GITHUB_OUTPUT.
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;

/**
 * What releasing `tag` means: its notes from the changelog, and the major tag it moves (undefined for
 * a pre-release, which must not move `v1` under its users). Throws with the fix when it cannot be
 * released.
 */
export function releaseInfo(tag, changelog, packageVersion) {
  const match = TAG.exec(tag);
  if (!match) throw new Error(`${tag} is not a version tag such as v1.2.3 or v1.3.0-rc.1`);
  const version = tag.slice(1);
  if (version !== packageVersion) {
    throw new Error(`${tag} does not match package.json's version ${packageVersion}: bump one or the other`);
  }
  const notes = sectionOf(changelog, version);
  if (notes === undefined) {
    throw new Error(`CHANGELOG.md has no section "## [${version}]": describe the release there first`);
  }
  if (!notes) throw new Error(`CHANGELOG.md's section for ${version} is empty`);
  return { version, notes, major: match[4] ? undefined : `v${match[1]}` };
}

/** The body under `## [version]` (optionally followed by ` - date`), up to the next `## ` heading. */
function sectionOf(changelog, version) {
  const lines = changelog.split('\n');
  const heading = new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\]( - .*)?$`);
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) return undefined;
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const [tag = ''] = process.argv.slice(2);
    const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
    const info = releaseInfo(tag, readFileSync('CHANGELOG.md', 'utf8'), version);
    process.stdout.write(`${info.notes}\n`);
    if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `major=${info.major ?? ''}\n`);
  } catch (error) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 1;
  }
}
