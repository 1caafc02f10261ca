#!/usr/bin/env node
// @ts-check
// Rewrites sequence files into the compact form (docs/sequences.md), in place:
//   node tools/compact-sequences.js vectors/sequences/FILE.json...
// A file in the long form (one JSON token a line, clause labels mapped to ids per version:
// { "2": "3.1.4.1.64/R3", "3": "3.1.4.2.64/R3" }) gets clause names ("x.64: <title>") and one step a
// line; a file already compact is left as it is. `--check` changes nothing and fails (exit 1) when a
// file is not in the compact form. A label whose ids share no name (they mean different rules, or one
// is not a clause of the version it is given for) is an error naming file, sequence and label (exit 1).
const fs = require('node:fs');
const { ClauseNames } = require('./clause-names');
const { formatSequenceFile } = require('./sequence-format');

/** The name that resolves to exactly the ids a long-form label gave, in the versions the sequence runs. */
function nameFor(names, byVersion, versions, where) {
  const wanted = Object.fromEntries(Object.entries(byVersion).filter(([v]) => versions.includes(Number(v))));
  for (const [v, id] of Object.entries(byVersion)) {
    const clause = names.byId.get(id);
    if (!clause) throw new Error(`${where}: ${id} is not in the catalogue`);
    if (!clause.versions.includes(Number(v))) throw new Error(`${where}: ${id} is not a version ${v} clause (it is for version ${clause.versions.join(', ')})`);
  }
  const candidates = Object.values(wanted).flatMap((id) => names.namesOf(id));
  for (const name of candidates) {
    const got = names.ids(name);
    const applicable = Object.fromEntries(Object.entries(got).filter(([v]) => versions.includes(Number(v))));
    if (JSON.stringify(applicable) === JSON.stringify(wanted)) return name;
  }
  throw new Error(`${where}: ${JSON.stringify(byVersion)} name different rules in the two versions; give each its own label`);
}

function compact(data, names, file) {
  for (const sequence of data.sequences ?? []) {
    const versions = sequence.versions ?? [2, 3];
    for (const [label, value] of Object.entries(sequence.clauses ?? {})) {
      if (typeof value === 'string') continue;
      sequence.clauses[label] = nameFor(names, value, versions, `${file}: sequence '${sequence.id}': label '${label}'`);
    }
  }
  return formatSequenceFile(data);
}

function main(argv) {
  const check = argv.includes('--check');
  const files = argv.filter((a) => a !== '--check');
  if (!files.length) {
    process.stderr.write('usage: node tools/compact-sequences.js [--check] vectors/sequences/FILE.json...\n');
    return 2;
  }
  const names = new ClauseNames();
  let status = 0;
  for (const file of files) {
    try {
      const text = fs.readFileSync(file, 'utf8');
      const out = compact(JSON.parse(text), names, file);
      if (out === text) continue;
      if (check) {
        process.stderr.write(`${file}: not in the compact form (run: node tools/compact-sequences.js ${file})\n`);
        status = 1;
      } else {
        fs.writeFileSync(file, out);
        process.stdout.write(`${file}: compacted\n`);
      }
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      status = 1;
    }
  }
  return status;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

module.exports = { compact };
