// A small command-line parser: the CLI's needs are few (flags with one value, repeatable flags,
// switches, positionals) and every mistake must become one precise line, which generic parsers
// do not promise. No dependency, no magic: each command declares its flags.
import { UsageError } from '../../cmrp/errors';

export type FlagKind = 'switch' | 'string' | 'list' | 'number' | 'integer';

export interface FlagSpec {
  kind: FlagKind;
  /** What the value is, for messages and help: "FILE", "N". */
  value?: string;
  /** Extra check of a parsed value; returns the problem, or undefined when fine. */
  check?: (value: number | string) => string | undefined;
}

export type FlagSpecs = Record<string, FlagSpec>;

export type FlagValues = Record<string, string | number | boolean | string[] | undefined>;

export interface Parsed {
  flags: FlagValues;
  positionals: string[];
}

function closest(name: string, candidates: string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = row[j];
        row[j] = next;
      }
    }
    return row[b.length];
  };
  const best = candidates.map((c) => ({ c, d: distance(name, c) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 2 ? best.c : undefined;
}

function convert(flag: string, spec: FlagSpec, raw: string): string | number {
  let value: string | number = raw;
  if (spec.kind === 'number' || spec.kind === 'integer') {
    const n = raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isFinite(n)) throw new UsageError(`--${flag} '${raw}': not a number`);
    if (spec.kind === 'integer' && !Number.isInteger(n)) throw new UsageError(`--${flag} '${raw}': not a whole number`);
    value = n;
  } else if (raw === '') {
    throw new UsageError(`--${flag}: empty value`);
  }
  const problem = spec.check?.(value);
  if (problem) throw new UsageError(`--${flag} '${raw}': ${problem}`);
  return value;
}

/**
 * Parses `argv` (the words after the command) against `specs`. Accepts "--flag value" and
 * "--flag=value"; "--" ends the flags. Positionals are returned only when `positionals` allows them.
 */
export function parseArgs(command: string, argv: string[], specs: FlagSpecs, options: { positionals?: string } = {}): Parsed {
  const flags: FlagValues = {};
  const positionals: string[] = [];
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (onlyPositionals || !word.startsWith('-') || word === '-') {
      if (!options.positionals) throw new UsageError(`${command}: unexpected argument '${word}'`);
      positionals.push(word);
      continue;
    }
    if (word === '--') {
      onlyPositionals = true;
      continue;
    }
    const long = word.startsWith('--');
    const body = word.slice(long ? 2 : 1);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const spec = long && Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) {
      const hint = closest(name, Object.keys(specs));
      throw new UsageError(`${command}: unknown flag ${long ? '--' : '-'}${name}${hint ? ` (did you mean --${hint}?)` : ''}`);
    }
    if (spec.kind === 'switch') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = body.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`--${name}: missing value${spec.value ? ` (${spec.value})` : ''}`);
      }
      raw = next;
      i++;
    }
    const value = convert(name, spec, raw);
    if (spec.kind === 'list') flags[name] = [...((flags[name] as string[] | undefined) ?? []), String(value)];
    else if (flags[name] !== undefined) throw new UsageError(`--${name} given twice`);
    else flags[name] = value;
  }
  return { flags, positionals };
}
