// @ts-check
// The compact form of a sequence file (docs/sequences.md): ordinary JSON, laid out so that it reads like
// the spec's own steps: one sequence header line per field, one clause label per line, one step per
// line. Shared by tools/compact-sequences.js (long form -> compact) and tools/sequence-families.js
// (templates -> generated files), so both write byte-identical text for the same data.

/** One value on one line: `{ "a": 1, "b": [2, 3] }`. */
function inline(value) {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (!entries.length) return '{}';
    return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** An object's fields, one a line, each value by `render` (default: inline). */
function block(object, indent, render = (key, value) => inline(value)) {
  const pad = ' '.repeat(indent + 2);
  const lines = Object.entries(object).map(([k, v]) => `${pad}${JSON.stringify(k)}: ${render(k, v)}`);
  return `{\n${lines.join(',\n')}\n${' '.repeat(indent)}}`;
}

/** A list, one item a line. */
function list(items, indent, render = inline) {
  if (!items.length) return '[]';
  const pad = ' '.repeat(indent + 2);
  return `[\n${items.map((item) => `${pad}${render(item)}`).join(',\n')}\n${' '.repeat(indent)}]`;
}

/** A step on one line; a repeat's own steps one a line below it: `{ "repeat": {...}, "steps": [` ... `] }`. */
function stepText(step, indent) {
  if (!Array.isArray(step.steps)) return inline(step);
  const head = Object.entries(step).filter(([k]) => k !== 'steps').map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}, `).join('');
  return `{ ${head}"steps": ${list(step.steps, indent, (s) => stepText(s, indent + 2))} }`;
}

function sequenceText(sequence, indent) {
  return block(sequence, indent, (key, value) => {
    if (key === 'clauses' && value && typeof value === 'object' && !Array.isArray(value)) return block(value, indent + 2);
    if (key === 'steps' && Array.isArray(value)) return list(value, indent + 2, (s) => stepText(s, indent + 4));
    return inline(value);
  });
}

/** The compact text of a sequence file (or of a family's case file: the same layout for `sequences`). */
function formatSequenceFile(data) {
  return `${block(data, 0, (key, value) => {
    if (key === 'sequences' && Array.isArray(value)) return list(value, 2, (s) => sequenceText(s, 4));
    return inline(value);
  })}\n`;
}

/** The text of a family's case file: a case a line, except that a case's own `extra` sequences are laid out as in a sequence file. */
function formatCasesFile(data) {
  const caseText = (c) =>
    c.extra ? block(c, 4, (key, value) => (key === 'extra' ? list(value, 6, (s) => sequenceText(s, 8)) : inline(value))) : inline(c);
  return `${block(data, 0, (key, value) => (key === 'cases' && Array.isArray(value) ? list(value, 2, caseText) : inline(value)))}\n`;
}

module.exports = { formatSequenceFile, formatCasesFile, inline };
