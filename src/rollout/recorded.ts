/**
 * The gates belong to the rollout: the probe and gate inputs it began with are recorded beside it, and
 * every later command (promote, advance, status, a resume) judges with them. An input given to that
 * command explicitly overrides its recorded value, and the log says so.
 */
import type { Logger } from '../log.js';
import {
  parseRolloutOptions,
  ROLLOUT_INPUT_DEFAULTS,
  type RolloutInputName,
  type RolloutOptions,
} from './options.js';

/**
 * The inputs recorded, by the short key they are stored under (the description that holds them is
 * short). `probe-headers` is never recorded: headers carry credentials.
 */
const RECORDED = {
  'canary-interval': 'i',
  'probe-path': 'pp',
  'probe-method': 'pm',
  'probe-body': 'pb',
  'probe-expect-status': 'ps',
  'probe-expect-body': 'pe',
  'probe-rps': 'pr',
  'probe-timeout': 'pt',
  'min-success-rate': 'sr',
  'max-latency': 'l',
  'max-consecutive-failures': 'cf',
  'gate-command': 'gc',
  'gate-logs-query': 'lq',
  'max-error-logs': 'le',
} as const satisfies Partial<Record<RolloutInputName, string>>;
type RecordedInput = keyof typeof RECORDED;

/** Recorded input values by short key; an input left at its default is not stored. */
export type RecordedGates = Partial<Record<(typeof RECORDED)[RecordedInput], string>>;

const recordedNames = Object.keys(RECORDED) as RecordedInput[];

/** What a rollout records of the options it begins with. */
export function recordGates(options: RolloutOptions): RecordedGates {
  return Object.fromEntries(
    recordedNames
      .filter((name) => options.inputs[name] !== ROLLOUT_INPUT_DEFAULTS[name])
      .map((name) => [RECORDED[name], options.inputs[name]]),
  );
}

/**
 * The options a command runs a recorded rollout with: the recorded gates, except where this run was
 * given an input explicitly.
 */
export function withRecordedGates(
  options: RolloutOptions,
  recorded: RecordedGates,
  logger: Logger,
): RolloutOptions {
  const recordedValue = (name: RecordedInput) => recorded[RECORDED[name]] ?? ROLLOUT_INPUT_DEFAULTS[name];
  for (const name of recordedNames) {
    const value = options.inputs[name];
    if (options.given.has(name) && value !== recordedValue(name)) {
      logger.info(
        `Input ${name} is given as ${JSON.stringify(value)}: it overrides ${JSON.stringify(recordedValue(name))}, which the rollout began with.`,
      );
    }
  }
  const isRecorded = (name: RolloutInputName): name is RecordedInput => Object.hasOwn(RECORDED, name);
  return parseRolloutOptions(
    (name) => (isRecorded(name) && !options.given.has(name) ? recordedValue(name) : options.inputs[name]),
    (name) => options.given.has(name),
  );
}
