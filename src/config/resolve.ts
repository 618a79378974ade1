/**
 * Resolution of an edition 3.0.0 s.yaml the way parse-spec does it (index.js + parse-content.js), but
 * collecting every problem instead of stopping at the first.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ActionEntry, ResolveOptions, ResolvedResource, ResolvedSpec } from './api.js';
import { findVarCycles } from './cycles.js';
import { loadEnvironment, type LoadedEnvironment } from './dotenv.js';
import type { ExpressionError } from './expression.js';
import {
  FAILED,
  MAGIC_PATTERN,
  ResolvedTooLarge,
  interpolateTree,
  renderString,
  type InterpolationContext,
  type Reporter,
} from './interpolate.js';
import { MAX_RESOLVED_ENTRIES } from './limits.js';
import { SourceLocator, displayPath, findConfigFile, loadYaml, type LoadedYaml } from './load.js';
import type { MagicEnvironment } from './magic.js';
import { deepMerge, isPlainObject } from './merge.js';
import { applyFlow, findDependencies, orderByDependencies } from './order.js';
import { isSecretVariable } from '../secrets.js';
import { ConfigError, formatProblem, type KeyPath, type Problem, type SourcePosition } from './types.js';

const EDITION = '3.0.0';
const DEFAULT_COMMAND = 'deploy';

type Content = Record<string, unknown>;

/** One resource after a pass: `real` is interpolated, `origin` is the raw element with template merged. */
interface Step {
  name: string;
  component: unknown;
  real: Content;
  origin: Content;
}

function without(object: Content, key: string): Content {
  return Object.fromEntries(Object.entries(object).filter(([name]) => name !== key));
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function describe(error: ExpressionError): string {
  return error.hint ? `${error.message} — ${error.hint}` : error.message;
}

class Resolution {
  private readonly problems: Problem[] = [];
  private readonly seen = new Set<string>();
  readonly warnings: Problem[] = [];
  readonly secrets = new Set<string>();
  private readonly budget = { entries: MAX_RESOLVED_ENTRIES };
  private readonly dataTexts = new Set<string>();

  constructor(
    private readonly options: ResolveOptions,
    private readonly locator: SourceLocator,
    private readonly environment: LoadedEnvironment,
    /** Directory of the main s.yaml. */
    private readonly dir: string,
    readonly command: string,
  ) {}

  add(
    severity: Problem['severity'],
    path: KeyPath,
    message: string,
    position = this.locator.locate(path),
  ): void {
    const problem: Problem = { severity, path, message, position };
    const key = formatProblem(problem);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    (severity === 'error' ? this.problems : this.warnings).push(problem);
  }

  /** Throws everything found so far, if anything is an error, with the secrets to mask first. */
  check(): void {
    if (this.problems.length > 0) throw this.failure();
  }

  private failure(): ConfigError {
    return new ConfigError(this.problems, [...this.environment.secretValues, ...this.secrets]);
  }

  context(dir: string, data: Content): InterpolationContext {
    const environment: MagicEnvironment = {
      env: this.environment.env,
      isSecretEnv: this.environment.isSecret,
      dir,
      credential: this.options.credential,
      command: this.command,
      onSecret: (value) => this.secrets.add(value),
    };
    return { data, environment, budget: this.budget, dataTexts: this.dataTexts };
  }

  /**
   * Reports at the string's own position; props merged in from a template point into the template,
   * and `files` says which file to look in first (the extended one during its own pass).
   */
  reporter(files: readonly LoadedYaml[], templateName?: string): Reporter {
    return (at, error) => {
      const inTemplate =
        templateName !== undefined && at[0] === 'resources' && at[2] === 'props'
          ? this.locator.locateExact(['template', templateName, ...at.slice(3)], files)
          : undefined;
      const position: SourcePosition | undefined =
        this.locator.locateExact(at, files) ?? inTemplate ?? this.locator.locate(at);
      this.add('error', at, describe(error), position);
    };
  }

  /** One pass (see `steps`); a value beyond the caps ends the resolution with that one problem. */
  pass(input: Content, file: string, files: readonly LoadedYaml[]): { content: Content; steps: Step[] } {
    try {
      return this.steps(input, file, files);
    } catch (error) {
      if (!(error instanceof ResolvedTooLarge)) throw error;
      this.add('error', error.path, error.message);
      throw this.failure();
    }
  }

  /** parse-content.js getSteps(): everything but resources first, then each resource in order. */
  private steps(
    input: Content,
    file: string,
    files: readonly LoadedYaml[],
  ): { content: Content; steps: Step[] } {
    const dir = path.dirname(file);
    const credential = this.options.credential ?? {};
    let content = input;
    const common = () => this.context(dir, { cwd: dir, vars: content.vars, credential });
    const access = content.access;
    const report = this.reporter(files);
    const warn = (at: KeyPath, message: string) => this.add('warning', at, message);
    content = {
      ...content,
      ...(interpolateTree(without(content, 'resources'), common(), [], report, warn) as Content),
    };

    const raw = isPlainObject(content.resources) ? content.resources : {};
    const templates = isPlainObject(content.template) ? content.template : {};
    const components = isPlainObject(content.components) ? content.components : {};
    const processed: Content = {};
    const steps: Step[] = [];
    for (const name of Object.keys(raw)) {
      const at = ['resources', name];
      const element = isPlainObject(raw[name]) ? raw[name] : {};
      const component = interpolateTree(element.component, common(), [...at, 'component'], report, warn);
      const extend = isPlainObject(element.extend) ? element.extend : {};
      const templateName = asString(extend.name);
      let template: Content = {};
      if (templateName !== undefined) {
        const found = templates[templateName];
        if (isPlainObject(found)) {
          const ignore = Array.isArray(extend.ignore) ? extend.ignore.map(String) : [];
          template = Object.fromEntries(Object.entries(found).filter(([key]) => !ignore.includes(key)));
        } else {
          this.add(
            'warning',
            [...at, 'extend', 'name'],
            `template '${templateName}' is not defined; nothing is merged`,
          );
        }
      }
      // Template strings were already interpolated (and reported) with the other top-level keys.
      const templateProps = interpolateTree(template, common(), ['template', templateName ?? '']);
      const working: Content = { ...element, props: deepMerge(templateProps, element.props) };
      // Earlier resources are seen resolved, the current one and later ones raw (s's forward references).
      const resources = Object.fromEntries(
        Object.keys(raw).map((key) => [key, processed[key] ?? (key === name ? working : raw[key] || {})]),
      );
      const data: Content = {
        ...common().data,
        resources,
        components: Object.fromEntries(
          Object.entries(components).map(([key, item]) => [
            key,
            { props: (isPlainObject(item) && item.props) || {} },
          ]),
        ),
        that: { name, access, component, ...working },
      };
      const thisProps = interpolateTree(working.props, this.context(dir, data), [...at, 'props']);
      data.that = { ...(data.that as Content), props: thisProps };
      const real = interpolateTree(
        working,
        this.context(dir, data),
        at,
        this.reporter(files, templateName),
        warn,
      ) as Content;
      processed[name] = real;
      steps.push({ name, component, real, origin: working });
    }
    return { content: { ...content, resources: processed }, steps };
  }

  /** Global or resource hooks: each value must be a list; `${...}` keys are matched against the command. */
  actions(value: unknown, at: KeyPath, level: 'Global' | 'Project'): Record<string, ActionEntry[]> {
    const result: Record<string, ActionEntry[]> = {};
    if (!isPlainObject(value)) return result;
    for (const [key, entries] of Object.entries(value)) {
      if (!Array.isArray(entries)) {
        this.add('error', [...at, key], `${level} action ${key} is invalid, it must be array`);
        continue;
      }
      const hook = this.hookName(key, [...at, key]);
      if (hook === undefined) continue;
      entries.forEach((entry: unknown, index) => {
        if (!isPlainObject(entry) || !(entry.run || entry.component || entry.plugin)) {
          this.add(
            'error',
            [...at, key, index],
            `${level} action ${key} entries need one of run, component or plugin`,
          );
          return;
        }
        (result[hook] ??= []).push(entry as ActionEntry);
      });
    }
    return result;
  }

  /** s's matchAction: a magic key like `pre-${regex('deploy|remove')}` applies when it renders `<hook>-true`. */
  private hookName(key: string, at: KeyPath): string | undefined {
    if (!MAGIC_PATTERN.test(key)) return key;
    const [type, matched] = String(this.renderKey(key, at)).split('-');
    return matched === 'true' ? `${type}-${this.command}` : undefined;
  }

  /** Renders a `flow:` or `actions:` key the way s does: only `command` is visible. */
  renderKey(key: string, at: KeyPath): unknown {
    try {
      return renderString(key, this.context(this.dir, { command: this.command }));
    } catch (error) {
      this.reporter([])(at, error as ExpressionError);
      return FAILED;
    }
  }
}

function legacyMessage(edition: unknown): string {
  const found = edition === undefined ? 'no edition' : `edition ${String(edition)}`;
  return `this action supports Serverless Devs files with edition: ${EDITION} only (found ${found})`;
}

/** Loads, checks and interpolates an s.yaml; throws ConfigError with every problem found. */
export async function resolveSpec(options: ResolveOptions): Promise<ResolvedSpec> {
  const file = findConfigFile(options.cwd, options.config);
  const main = await loadYaml(file, options.cwd);
  const dir = path.dirname(file);
  const envFile = options.envFile ? path.resolve(options.cwd, options.envFile) : path.join(dir, '.env');
  const listed = new Set(options.secretEnv);
  const environment = loadEnvironment({
    env: options.env,
    dotenv: options.dotenv,
    envFile,
    envFileShown: displayPath(options.cwd, envFile),
    envFileRequired: options.envFile !== undefined,
    isSecret: (name, value) => isSecretVariable(name, value, listed),
  });
  const content = isPlainObject(main.value) ? main.value : {};
  const files: LoadedYaml[] = [main];
  const extendPath = typeof content.extend === 'string' ? path.resolve(dir, content.extend) : undefined;
  const preliminary = new SourceLocator(files);
  if (extendPath !== undefined) {
    if (!['.yaml', '.yml'].includes(path.extname(extendPath))) {
      throw new ConfigError([
        {
          severity: 'error',
          path: ['extend'],
          message: `${String(content.extend)} file should be yaml or yml file.`,
          position: preliminary.locate(['extend']),
        },
      ]);
    }
    if (existsSync(extendPath)) files.push(await loadYaml(extendPath, options.cwd));
  }
  const base = files[1];
  const baseContent = base && isPlainObject(base.value) ? base.value : {};
  const edition = content.edition !== undefined ? content.edition : baseContent.edition;
  if (String(edition) !== EDITION) {
    throw new ConfigError([
      {
        severity: 'error',
        path: ['edition'],
        message: legacyMessage(edition),
        position: preliminary.locate(['edition']),
      },
    ]);
  }

  const locator = new SourceLocator(files);
  const resolution = new Resolution(options, locator, environment, dir, options.command ?? DEFAULT_COMMAND);
  let merged = content;
  if (extendPath !== undefined) {
    if (!base)
      resolution.add('warning', ['extend'], `${String(content.extend)} was not found; nothing is extended`);
    // index.js doExtend(): both files see the merged top-level keys; the results are merged again.
    const rest = deepMerge(without(baseContent, 'resources'), without(content, 'resources'));
    const basePass = resolution.pass({ ...baseContent, ...rest }, extendPath, [...files].reverse());
    const childPass = resolution.pass({ ...content, ...rest }, file, files);
    merged = deepMerge(basePass.content, childPass.content);
  }
  const final = resolution.pass(merged, file, files);
  for (const cycle of findVarCycles(merged.vars, final.content.vars)) {
    resolution.add(
      'warning',
      cycle.path,
      `is part of a reference cycle (${cycle.members.join(', ')}) and is left unresolved, as Serverless ` +
        `Devs leaves it: whatever uses it gets the literal text "${cycle.text}"; break the cycle`,
    );
  }
  if (final.steps.length === 0 && isPlainObject(merged.services) && Object.keys(merged.services).length > 0) {
    resolution.add(
      'error',
      ['services'],
      "Keyword 'services' has been replaced by 'resources' in 3.0.0 YAML.",
    );
  }
  const resources = orderResources(resolution, final.steps, merged.flow);
  const globalActions = resolution.actions(final.content.actions, ['actions'], 'Global');
  const access = asString(final.content.access);
  const resolved: ResolvedResource[] = resources.map(({ step, stage }) => {
    const component = asString(step.component);
    if (!component && step.component !== FAILED) {
      resolution.add(
        'error',
        ['resources', step.name, 'component'],
        'a component is required (e.g. agentrun)',
      );
    }
    return {
      name: step.name,
      component: component ?? '',
      access: asString(step.real.access) ?? access,
      props: isPlainObject(step.real.props) ? step.real.props : {},
      actions: resolution.actions(step.real.actions, ['resources', step.name, 'actions'], 'Project'),
      ...(stage === undefined ? {} : { stage }),
    };
  });
  resolution.check();
  return {
    file,
    dir,
    name: asString(final.content.name),
    access,
    vars: isPlainObject(final.content.vars) ? final.content.vars : {},
    actions: globalActions,
    resources: resolved,
    secretValues: [...new Set([...environment.secretValues, ...resolution.secrets])],
    env: environment.env,
    warnings: resolution.warnings,
    locate: (keyPath) => locator.locate(keyPath),
  };
}

/** YAML order, then output dependencies; a `flow:` entry for the command replaces both (index.js doFlow). */
function orderResources(
  resolution: Resolution,
  steps: readonly Step[],
  flow: unknown,
): { step: Step; stage?: number }[] {
  const byName = new Map(steps.map((step) => [step.name, step]));
  const names = steps.map((step) => step.name);
  const dependencies = findDependencies(steps.map((step) => ({ name: step.name, props: step.origin.props })));
  const flows = isPlainObject(flow) ? flow : {};
  const flowKey = Object.keys(flows).find((key) => {
    if (!MAGIC_PATTERN.test(key)) return key === resolution.command;
    const matched = resolution.renderKey(key, ['flow', key]);
    return matched !== FAILED && Boolean(matched);
  });
  if (flowKey === undefined) {
    const { order, cyclic } = orderByDependencies(names, dependencies);
    if (cyclic.length > 0) {
      resolution.add(
        'warning',
        ['resources'],
        `resources ${cyclic.join(', ')} reference each other's output in a cycle; they run last, in file order`,
      );
    }
    return order.map((name) => ({ step: byName.get(name) as Step }));
  }
  const { steps: placed, errors } = applyFlow(flows[flowKey], resolution.command, names, dependencies);
  for (const message of errors) resolution.add('error', ['flow', flowKey], message);
  for (const name of names.filter((name) => !placed.some((step) => step.name === name))) {
    resolution.add(
      'warning',
      ['flow', flowKey],
      `resource ${name} is not listed in this flow and will not run`,
    );
  }
  return placed.map(({ name, stage }) => ({ step: byName.get(name) as Step, stage }));
}
