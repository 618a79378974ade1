import { createHash } from 'node:crypto';
import { cp, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import yauzl from 'yauzl';
import { BuildError } from '../errors.js';
import { alreadyThere, reader } from './files.js';
import type { BuildRecipe, Env, EcosystemBuild } from './types.js';

/** Where the build copies the project: Maven and Gradle write next to their build file. */
const PROJECT = 'project';
const COMMAND = 'code.command';
const SETTINGS = 'settings.xml';
const MAVEN = { manifest: 'pom.xml', tool: 'mvn package', outDir: 'target' } as const;
const GRADLE = { tool: './gradlew build', outDir: 'build/libs' } as const;
const GRADLE_FILES = ['build.gradle', 'build.gradle.kts'];

/**
 * Java: a Maven project (`pom.xml`) is built with `mvn -B -q package -DskipTests`, a Gradle project
 * with its wrapper. What lands in the zip, under the same path as in the project (`target/…`), is
 * what the s.yaml's `command` names there (`java -jar target/agent.jar`, `-cp target/lib/*`), else the
 * jars the build made; a jar brings the files its manifest's Class-Path lists.
 *
 * UNCONFIRMED: AgentRun's documentation shows no Java `command`; the runtime starts the command in
 * /code, so the paths are kept as Maven lays them out, which is what `java -jar target/x.jar` after a
 * local `mvn package` expects.
 */
export const java = {
  languagePrefix: 'java',

  async detect({ codeDir, command }) {
    const { isDir, isFile } = reader(codeDir);
    if (await isFile(MAVEN.manifest)) {
      if (await isDir(MAVEN.outDir)) return { nothing: alreadyThere(MAVEN.outDir) };
      return recipe(codeDir, command, { ...MAVEN });
    }
    const gradle = await findAsync(GRADLE_FILES, isFile);
    if (!gradle) return { nothing: 'no pom.xml or build.gradle' };
    if (await isDir(GRADLE.outDir)) return { nothing: alreadyThere(GRADLE.outDir) };
    if (!(await isFile('gradlew'))) {
      throw new BuildError(
        `${path.join(codeDir, gradle)}: a Gradle project is built only with its wrapper, which pins the ` +
          'Gradle version: run `gradle wrapper` and commit gradlew and gradle/wrapper/, or build the jar ' +
          'in an earlier step into build/libs/ of code.src.',
      );
    }
    return recipe(codeDir, command, { ...GRADLE, manifest: gradle });
  },

  async prepare(_recipe, codeDir, outDir) {
    await cp(codeDir, path.join(outDir, PROJECT), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (source) => path.basename(source) !== '.git',
    });
  },

  installArgv(recipe, { env, cacheDir, configFiles }) {
    if (recipe.tool === GRADLE.tool) return ['./gradlew', '--no-daemon', '--quiet', 'build', '-x', 'test'];
    return [
      'mvn',
      '-B',
      '-q',
      ...(configFiles[SETTINGS] ? ['-s', configFiles[SETTINGS]] : []),
      ...(cacheDir ? [`-Dmaven.repo.local=${cacheDir}`] : []),
      ...mavenArgs(env).rest,
      'package',
      '-DskipTests',
    ];
  },
  installCwd: (_recipe, paths) => `${paths.out}/${PROJECT}`,

  async collect(recipe, outDir) {
    const built = path.join(outDir, PROJECT, recipe.outDir);
    const named = namedOutputs(JSON.parse(recipe.inputs[COMMAND]!) as string[], recipe.outDir);
    const wanted = named.length ? named : await builtJars(built);
    if (wanted.length === 0) {
      throw new BuildError(`${recipe.tool} built no jar in ${recipe.outDir}/, so there is nothing to run.`);
    }
    const packaged = new Set<string>();
    for (const name of wanted) {
      const source = path.join(built, name);
      const stats = await stat(source).catch(() => undefined);
      if (!stats) {
        const jars = (await builtJars(built)).map((jar) => `${recipe.outDir}/${jar}`).join(', ') || 'none';
        throw new BuildError(
          `code.command names ${recipe.outDir}/${name}, which ${recipe.tool} did not build (it built: ${jars}). ` +
            'Name the built jar in the command, or set the file name in the build (finalName).',
        );
      }
      const names =
        stats.isFile() && name.endsWith('.jar') ? [name, ...(await classPath(built, name))] : [name];
      for (const file of names) packaged.add(file);
    }
    for (const name of packaged) {
      await cp(path.join(built, name), path.join(outDir, recipe.outDir, name), { recursive: true });
    }
  },

  versionArgv: ['java', '-version'],
  // `openjdk version "17.0.15"`; Java 8 calls itself 1.8.0_412.
  parseVersion: (output) => /version "(?:1\.)?(\d+[\d.]*)/.exec(output)?.[1],

  cache: { name: 'maven', hostDir: (_env, home) => path.join(home, '.m2', 'repository') },

  passedEnv: [/^MAVEN_OPTS$/],
  // MAVEN_OPTS holds JVM options (`-Xmx`, proxies); credentials belong in settings.xml, masked there.
  secretEnv: [],
  // A settings.xml named in MAVEN_ARGS (`-s ci/settings.xml`, relative to code.src), else the one
  // setup-java writes for its server-id, in the runner's ~/.m2.
  configFiles: (env, codeDir) => {
    const named = mavenArgs(env).settings;
    if (named) return [{ role: SETTINGS, path: path.resolve(codeDir, named), required: true }];
    const home = env.HOME;
    return home ? [{ role: SETTINGS, path: path.join(home, '.m2', SETTINGS), required: false }] : [];
  },
  referencedVariables: (xml) => [...xml.matchAll(/\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!),
  literalSecrets: (xml) =>
    [...xml.matchAll(/<(password|passphrase)>\s*([^<]*?)\s*<\/\1>/g)]
      .map((match) => match[2]!)
      .filter((value) => value && !/^\$\{[^}]+\}$/.test(value)),
  failureLine: /^\[ERROR\]|^FAILURE:|^error:/,
  runtimeVariables: {},
} satisfies EcosystemBuild;

async function recipe(
  codeDir: string,
  command: readonly string[],
  build: Pick<BuildRecipe, 'manifest' | 'tool' | 'outDir'>,
): Promise<{ recipe: BuildRecipe }> {
  // The jar is built from every source, and what is packaged depends on the command.
  const inputs: Record<string, string> = { [COMMAND]: JSON.stringify(command) };
  const entries = await readdir(codeDir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    const name = path.relative(codeDir, file);
    if (!entry.isFile() || name.split(path.sep).includes('.git')) continue;
    inputs[name.split(path.sep).join('/')] = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  }
  return { recipe: { ecosystem: 'java', ...build, inputs } };
}

/**
 * MAVEN_ARGS, the options Maven 3.9 takes from the environment, split on blanks: a settings file it
 * names, and the rest (`-o` offline, `-P ci`) for the command line, since older Maven ignores it.
 */
export function mavenArgs(env: Env): { settings?: string; rest: string[] } {
  const words = (env.MAVEN_ARGS ?? '').split(/\s+/).filter(Boolean);
  const rest: string[] = [];
  let settings: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const joined = /^--settings=(.+)$/.exec(word);
    if (joined) settings = joined[1];
    else if (word === '-s' || word === '--settings') settings = words[++i];
    else rest.push(word);
  }
  return { settings, rest };
}

/** Paths under `outDir/` that a command names: `/code/target/a.jar`, `target/lib/*` in a class path. */
export function namedOutputs(command: readonly string[], outDir: string): string[] {
  const names = command
    .flatMap((word) => word.split(':'))
    .map((part) => part.replace(/^(\/code\/|\.\/)/, '').replace(/\/\*?$/, ''))
    .filter((part) => part.startsWith(`${outDir}/`))
    .map((part) => path.posix.normalize(part.slice(outDir.length + 1)))
    .filter((part) => part !== '.' && !part.startsWith('..'));
  return [...new Set(names)];
}

/** The jars a build made in `dir`, without the sources, javadoc and tests jars or shade's original. */
async function builtJars(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jar'))
    .map((entry) => entry.name)
    .filter((name) => !/-(sources|javadoc|tests)\.jar$/.test(name) && !name.startsWith('original-'))
    .sort();
}

/** The files of `dir` that the jar's manifest Class-Path lists (relative to the jar). */
async function classPath(dir: string, jar: string): Promise<string[]> {
  const manifest = await readManifest(path.join(dir, jar));
  // Continuation lines start with one space.
  const value = /^Class-Path: ?(.*(?:\r?\n .*)*)/m.exec(manifest)?.[1]?.replace(/\r?\n /g, '') ?? '';
  const names: string[] = [];
  for (const url of value.split(/\s+/).filter(Boolean)) {
    const name = path.posix.normalize(path.posix.join(path.posix.dirname(jar), decodeURIComponent(url)));
    if (name.startsWith('..') || path.posix.isAbsolute(name)) continue;
    if (
      await stat(path.join(dir, name)).then(
        () => true,
        () => false,
      )
    )
      names.push(name.replace(/\/$/, ''));
  }
  return names;
}

async function readManifest(jar: string): Promise<string> {
  const zip = await yauzl.openPromise(jar, { lazyEntries: true });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName === 'META-INF/MANIFEST.MF')
        return await text(await zip.openReadStreamPromise(entry));
    }
    return '';
  } finally {
    zip.close();
  }
}

async function findAsync<T>(
  items: readonly T[],
  test: (item: T) => Promise<boolean>,
): Promise<T | undefined> {
  for (const item of items) if (await test(item)) return item;
  return undefined;
}
