#!/usr/bin/env node
// @ts-check
// Families of sequence files written once (test262's way: a template, a case file, the generated
// output checked in). vectors/sequences/families/NAME.cases.json lists the cases of the template
// vectors/sequences/families/NAME.template.json; each case writes one vectors/sequences/FILE.json.
//   node tools/sequence-families.js          regenerate every family's files
//   node tools/sequence-families.js --check  change nothing; exit 1 naming each file that differs
//   node tools/sequence-families.js --adopt  first move the sequences a generated file has but its template
//                                            does not make into the case's `extra` (after someone added
//                                            sequences to a generated file, e.g. in the long form and then
//                                            converted it with tools/compact-sequences.js), then regenerate
//   --dir DIR                                 a sequences directory other than vectors/sequences
// In a template, "{{key}}" inside a string (a value or a field name) is replaced by the case's value of `key`; a string that is
// exactly "{{key}}" becomes the value itself (so a number stays a number). A case may leave out template
// sequences (`skip`: ids as the template spells them) and add sequences of its own (`extra`).
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./clause-names');
const { formatCasesFile, formatSequenceFile } = require('./sequence-format');

const SEQUENCES = path.join(ROOT, 'vectors/sequences');
const PLACEHOLDER = /\{\{(\w+)\}\}/g;

function fill(value, vars, where) {
  if (typeof value === 'string') {
    const whole = /^\{\{(\w+)\}\}$/.exec(value);
    const lookup = (key) => {
      if (!(key in vars)) throw new Error(`${where}: the case has no value for {{${key}}}`);
      return vars[key];
    };
    if (whole) return lookup(whole[1]);
    return value.replace(PLACEHOLDER, (_, key) => String(lookup(key)));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars, where));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [fill(k, vars, where), fill(v, vars, where)]));
  }
  return value;
}

/** Every file a family writes: file name -> compact text. */
function generate(family, dir = SEQUENCES) {
  const casesFile = path.join(dir, 'families', `${family}.cases.json`);
  const templateFile = path.join(dir, 'families', `${family}.template.json`);
  const { cases } = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
  const out = new Map();
  for (const { file, skip = [], extra = [], ...vars } of cases) {
    const where = `${path.relative(ROOT, casesFile)}: case ${file}`;
    const known = new Set(template.sequences.map((s) => s.id));
    for (const id of skip) if (!known.has(id)) throw new Error(`${where}: skips '${id}', which the template does not have`);
    const sequences = template.sequences.filter((s) => !skip.includes(s.id)).map((s) => fill(s, vars, where));
    const data = {
      suite: fill(template.suite, vars, where),
      heading: fill(template.heading, vars, where),
      generated: `by node tools/sequence-families.js from families/${family}.template.json and ${family}.cases.json: edit those, not this file`,
      sequences: [...sequences, ...extra],
    };
    out.set(file, formatSequenceFile(data));
  }
  return out;
}

/**
 * Moves into each case's `extra` the sequences its generated file holds that the template does not make;
 * returns the ids moved. A template sequence edited in the generated file cannot be adopted: --check names it.
 */
function adopt(family, dir = SEQUENCES) {
  const casesFile = path.join(dir, 'families', `${family}.cases.json`);
  const data = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
  const generated = generate(family, dir);
  const moved = [];
  for (const c of data.cases) {
    const target = path.join(dir, c.file);
    if (!fs.existsSync(target)) continue;
    const made = new Set(JSON.parse(generated.get(c.file)).sequences.map((s) => s.id));
    const own = JSON.parse(fs.readFileSync(target, 'utf8')).sequences.filter((s) => !made.has(s.id));
    if (!own.length) continue;
    c.extra = [...(c.extra ?? []), ...own];
    moved.push(...own.map((s) => `${c.file}: ${s.id}`));
  }
  if (moved.length) fs.writeFileSync(casesFile, formatCasesFile(data));
  return moved;
}

function families(dir = SEQUENCES) {
  return fs
    .readdirSync(path.join(dir, 'families'))
    .filter((n) => n.endsWith('.cases.json'))
    .sort()
    .map((n) => n.slice(0, -'.cases.json'.length));
}

function main(argv) {
  const check = argv.includes('--check');
  const dirAt = argv.indexOf('--dir');
  const dir = dirAt >= 0 ? path.resolve(argv[dirAt + 1]) : SEQUENCES;
  let status = 0;
  try {
    if (argv.includes('--adopt')) {
      for (const family of families(dir)) for (const line of adopt(family, dir)) process.stdout.write(`adopted into families/${family}.cases.json: ${line}\n`);
    }
    for (const family of families(dir)) {
      for (const [file, text] of generate(family, dir)) {
        const target = path.join(dir, file);
        const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
        if (current === text) continue;
        if (check) {
          process.stderr.write(`${path.relative(process.cwd(), target)}: differs from what families/${family} generates (run: node tools/sequence-families.js)\n`);
          status = 1;
        } else {
          fs.writeFileSync(target, text);
          process.stdout.write(`${path.relative(process.cwd(), target)}: generated\n`);
        }
      }
    }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  return status;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

module.exports = { generate, families, adopt };
