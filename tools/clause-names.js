// @ts-check
// Clause names for the tools (the same rules as cmrp/clause-name.ts and harness/catalogue/names.ts, kept
// in plain JS so the tools run with `node` and no build): "<section>: <title>", with "x.N" meaning
// 3.1.4.1.N in protocol version 2 and 3.1.4.2.N in version 3.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

function readCatalogue(dir = path.join(ROOT, 'vectors/catalogue')) {
  const clauses = [];
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    clauses.push(...JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')).clauses);
  }
  return clauses;
}

const sectionIn = (section, version) =>
  section === 'x' ? `3.1.4.${version - 1}` : section.startsWith('x.') ? `3.1.4.${version - 1}.${section.slice(2)}` : section;
const neutralSection = (section) => section.replace(/^3\.1\.4\.[12](?=\.|$)/, 'x');

class ClauseNames {
  constructor(clauses = readCatalogue()) {
    this.byKey = new Map(clauses.map((c) => [`${c.section}|${c.title}`, c]));
    this.byId = new Map(clauses.map((c) => [c.id, c]));
  }

  /** Version ("2"/"3") -> id, for the versions in which the name has a clause. */
  ids(name) {
    const m = /^(x(?:\.\d+)*|\d+(?:\.\d+)*): (.+)$/.exec(name);
    const out = {};
    if (!m) return out;
    for (const v of [2, 3]) {
      const c = this.byKey.get(`${sectionIn(m[1], v)}|${m[2]}`);
      if (c && c.versions.includes(v)) out[String(v)] = c.id;
    }
    return out;
  }

  /** The candidate names of a clause id: version-neutral first, then its own section. */
  namesOf(id) {
    const c = this.byId.get(id);
    if (!c) return [];
    const neutral = neutralSection(c.section);
    return [...new Set([`${neutral}: ${c.title}`, `${c.section}: ${c.title}`])];
  }
}

module.exports = { ClauseNames, readCatalogue, ROOT };
