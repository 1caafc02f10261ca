// The HTML report: one self-contained file (styles and script inline, nothing fetched) that a person
// opens when the gate goes red. A matrix of sections x clauses coloured by verdict with totals, filters
// by verdict, level and section, and for every clause its paraphrase, level, the tests that judged it,
// Expected vs Actual, the call sequence and the replay command; clicking a cell opens that clause.
// Everything is rendered here, so the page reads even with scripts off; the script only filters and
// opens. Server-supplied text is escaped and redacted (raw handles, the password) before it lands.
import { TOOL_NAME } from '../../cmrp/package-info';
import { attentionList, bySection, COLUMNS } from './counts';
import { evidenceOf, expectedActual, type Evidence } from './evidence';
import { headline } from './markdown';
import { redact } from './redact';
import type { ClauseResult, RunResults } from './results';

const LEVELS = ['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'MAY', 'descriptive'];

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Server-supplied text: redacted, then escaped. */
function shown(text: string): string {
  return esc(redact(text));
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9.]+/g, '-');
}

export function clauseAnchor(id: string): string {
  return `c-${slug(id)}`;
}

function verdictClass(verdict: string): string {
  return `v-${verdict.toLowerCase()}`;
}

function levelOf(c: ClauseResult): string {
  return c.level ?? 'n/a';
}

const STYLE = `
:root { --pass:#2e7d32; --fail:#c62828; --nonstrict:#ef6c00; --nottested:#9e9e9e; --inconclusive:#6a1b9a; --error:#ad1457; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 1.5em 3em; color: #212121; }
h1 { font-size: 1.4em; margin: .8em 0 .2em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
.meta { color: #555; } code, pre { font: 12.5px/1.4 ui-monospace, monospace; }
pre { background: #f5f5f5; padding: .6em; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
.badge { display: inline-block; padding: 0 .45em; border-radius: 3px; color: #fff; font-weight: 600; font-size: 12px; }
.v-pass { background: var(--pass); } .v-fail { background: var(--fail); } .v-non-strict { background: var(--nonstrict); }
.v-not-tested { background: var(--nottested); } .v-inconclusive { background: var(--inconclusive); } .v-error { background: var(--error); }
table { border-collapse: collapse; } th, td { padding: 2px 8px; text-align: right; border-bottom: 1px solid #eee; }
th:first-child, td:first-child { text-align: left; } td.cells { text-align: left; }
.cell { display: inline-block; width: 13px; height: 13px; margin: 1px; border-radius: 2px; border: 0; padding: 0; cursor: pointer; vertical-align: middle; }
.cell:focus { outline: 2px solid #000; }
fieldset { display: inline-block; border: 1px solid #ddd; margin: .3em .6em .3em 0; padding: .2em .6em; }
label { margin-right: .7em; white-space: nowrap; }
details.clause { border-left: 4px solid #ccc; margin: .3em 0; padding: .1em .6em; }
details.clause[open] { background: #fafafa; }
details.clause.v-pass, details.clause.v-fail, details.clause.v-non-strict, details.clause.v-not-tested,
details.clause.v-inconclusive, details.clause.v-error { background: none; }
details.clause.v-pass { border-color: var(--pass); } details.clause.v-fail { border-color: var(--fail); }
details.clause.v-non-strict { border-color: var(--nonstrict); } details.clause.v-not-tested { border-color: var(--nottested); }
details.clause.v-inconclusive { border-color: var(--inconclusive); } details.clause.v-error { border-color: var(--error); }
summary { cursor: pointer; } .hidden { display: none !important; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: .4em 0; } dt { font-weight: 600; color: #555; }
.ea { display: grid; grid-template-columns: 1fr 1fr; gap: .6em; } .ea pre { margin: .2em 0; }
ol.trace { margin: .2em 0; padding-left: 2.6em; font: 12.5px/1.4 ui-monospace, monospace; } ol.trace li { white-space: pre-wrap; }
`;

const SCRIPT = `
(function () {
  'use strict';
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[data-filter]'));
  var section = document.getElementById('filter-section');
  function allowed(kind) {
    return boxes.filter(function (b) { return b.getAttribute('data-filter') === kind && b.checked; })
      .map(function (b) { return b.value; });
  }
  function apply() {
    var verdicts = allowed('verdict'), levels = allowed('level'), sec = section.value;
    var shownCount = 0;
    document.querySelectorAll('[data-verdict]').forEach(function (el) {
      var ok = verdicts.indexOf(el.getAttribute('data-verdict')) >= 0 &&
        levels.indexOf(el.getAttribute('data-level')) >= 0 &&
        (sec === '' || el.getAttribute('data-section') === sec);
      el.classList.toggle('hidden', !ok);
      if (ok && el.tagName === 'DETAILS') shownCount++;
    });
    document.querySelectorAll('tr[data-row-section]').forEach(function (tr) {
      tr.classList.toggle('hidden', sec !== '' && tr.getAttribute('data-row-section') !== sec);
    });
    document.getElementById('shown-count').textContent = String(shownCount);
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  section.addEventListener('change', apply);
  function open(id) {
    var d = document.getElementById(id);
    if (!d) return;
    d.classList.remove('hidden');
    d.open = true;
    d.scrollIntoView({ block: 'start' });
  }
  document.querySelectorAll('[data-open]').forEach(function (el) {
    el.addEventListener('click', function (ev) { ev.preventDefault(); open(el.getAttribute('data-open')); history.replaceState(null, '', '#' + el.getAttribute('data-open')); });
  });
  if (location.hash.length > 1) open(decodeURIComponent(location.hash.slice(1)));
  apply();
})();
`;

function evidenceHtml(c: ClauseResult, e: Evidence, i: number): string {
  const { expected, actual } = expectedActual(c, e);
  const parts = [`<div class="evidence" data-evidence="${i}">`];
  parts.push(`<p><b>${e.test ? `Test <code>${shown(e.test)}</code>` : 'Check'}</b>${e.repeats > 1 ? ` (seen ${e.repeats} times)` : ''}</p>`);
  if (actual) {
    parts.push(`<div class="ea"><div><b>Expected</b><pre class="expected">${shown(expected)}</pre></div><div><b>Actual</b><pre class="actual">${shown(actual)}</pre></div></div>`);
  }
  if (e.text && e.text !== actual) parts.push(`<pre class="said">${shown(e.text)}</pre>`);
  if (e.trace.length) {
    parts.push(`<p><b>Calls</b> (${e.trace.length}, handles by symbolic name)</p><ol class="trace">${e.trace.map((t) => `<li>${shown(t)}</li>`).join('')}</ol>`);
  }
  if (e.seed !== null) parts.push(`<p>Seed: <code>${e.seed}</code></p>`);
  if (e.replay) parts.push(`<p><b>Replay</b></p><pre class="replay">${shown(e.replay)}</pre>`);
  parts.push('</div>');
  return parts.join('');
}

function clauseHtml(c: ClauseResult, results: RunResults): string {
  const evidence = evidenceOf(c);
  const tag = c.verdict === 'NON-STRICT' && !results.strict ? 'NON-STRICT (not gating)' : c.verdict;
  const rows: [string, string][] = [
    ['Requirement', esc(c.summary)],
    ['Level', `${esc(levelOf(c))}${c.party ? `, ${esc(c.party)}-side` : ''}`],
    ['Section', esc(`${c.section} ${c.heading}`.trim())],
    ['Hits', String(c.hits)],
    ['Judged by', c.tests.length ? c.tests.map((t) => `<code>${shown(t)}</code>`).join(', ') : 'no test'],
  ];
  if (c.baseline) rows.push(['Baseline', esc(`expects ${c.baseline.expected} (${c.baseline.status}): ${c.baseline.reason}`)]);
  if (c.verdict === 'NOT-TESTED') rows.push(['Why not tested', shown(c.message ?? 'no reason recorded')]);
  const body = [`<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`];
  if (c.verdict !== 'NOT-TESTED') body.push(...evidence.map((e, i) => evidenceHtml(c, e, i)));
  return (
    `<details class="clause ${verdictClass(c.verdict)}" id="${clauseAnchor(c.id)}" data-verdict="${esc(c.verdict)}" data-level="${esc(levelOf(c))}" data-section="${esc(c.section)}">` +
    `<summary><span class="badge ${verdictClass(c.verdict)}">${esc(tag)}</span> <code>${esc(c.id)}</code> ${esc(c.title)} <small>(${esc(levelOf(c))})</small></summary>` +
    `${body.join('')}</details>`
  );
}

function matrix(results: RunResults): string {
  const head = `<tr><th>section</th>${COLUMNS.map((col) => `<th><span class="badge ${verdictClass(col.verdict)}">${col.verdict}</span></th>`).join('')}<th>total</th><th>clauses</th></tr>`;
  const rows = bySection(results.clauses).map((s) => {
    const cells = results.clauses
      .filter((c) => c.section === s.section)
      .map(
        (c) =>
          `<a href="#${clauseAnchor(c.id)}" class="cell ${verdictClass(c.verdict)}" data-open="${clauseAnchor(c.id)}" data-verdict="${esc(c.verdict)}" data-level="${esc(levelOf(c))}" data-section="${esc(c.section)}" title="${esc(`${c.id} ${c.verdict}: ${c.title}`)}" aria-label="${esc(`${c.id} ${c.verdict}`)}"></a>`,
      )
      .join('');
    return `<tr data-row-section="${esc(s.section)}"><td>${esc(`${s.section} ${s.heading}`.trim())}</td>${COLUMNS.map((col) => `<td>${s.summary[col.key]}</td>`).join('')}<td>${s.summary.total}</td><td class="cells">${cells}</td></tr>`;
  });
  const total = `<tr><th>total</th>${COLUMNS.map((col) => `<th>${results.summary[col.key]}</th>`).join('')}<th>${results.summary.total}</th><th></th></tr>`;
  return `<table id="matrix">${head}${rows.join('')}${total}</table>`;
}

function filters(results: RunResults): string {
  const verdicts = COLUMNS.map((c) => `<label><input type="checkbox" data-filter="verdict" value="${c.verdict}" checked> ${c.verdict} (${results.summary[c.key]})</label>`).join('');
  const present = new Set(results.clauses.map(levelOf));
  const levels = [...LEVELS, 'n/a']
    .filter((l) => present.has(l))
    .map((l) => `<label><input type="checkbox" data-filter="level" value="${esc(l)}" checked> ${esc(l)}</label>`)
    .join('');
  const sections = bySection(results.clauses).map((s) => `<option value="${esc(s.section)}">${esc(`${s.section} ${s.heading}`.trim())}</option>`).join('');
  return (
    `<form id="filters" onsubmit="return false"><fieldset><legend>Verdict</legend>${verdicts}</fieldset>` +
    `<fieldset><legend>Level</legend>${levels}</fieldset>` +
    `<fieldset><legend>Section</legend><select id="filter-section"><option value="">all sections</option>${sections}</select></fieldset></form>`
  );
}

export function buildHtml(results: RunResults): string {
  const s = results.summary;
  const title = `MS-CMRP notification conformance: ${headline(results)}`;
  const attention = attentionList(results.clauses);
  const meta = [
    `${TOOL_NAME} ${results.tool.version} against <code>${shown(results.target)}</code> (${shown(results.targetDescription)})`,
    `protocol version ${results.protocolVersion}${results.strict ? ', strict' : ''}, seed ${results.seed}, ${(results.durationMs / 1000).toFixed(1)} s, started ${esc(results.startedAt)}`,
    `exit code ${results.exitCode}${results.reasons.length ? `: ${esc(results.reasons.join(', '))}` : ''}`,
    `${s.total} clauses, ${s.exercised} exercised, ${s.hits} hits`,
  ];
  const attentionList_ = attention.length
    ? `<h2>Needs attention (${attention.length})</h2><ul id="attention">${attention
        .map((c) => `<li><a href="#${clauseAnchor(c.id)}" data-open="${clauseAnchor(c.id)}"><span class="badge ${verdictClass(c.verdict)}">${esc(c.verdict)}</span> <code>${esc(c.id)}</code></a> ${esc(c.title)}</li>`)
        .join('')}</ul>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="meta">${meta.join('<br>')}</p>
${attentionList_}
<h2>Sections and clauses</h2>
${filters(results)}
${matrix(results)}
<h2>Clauses (<span id="shown-count">${results.clauses.length}</span> shown)</h2>
${results.clauses.map((c) => clauseHtml(c, results)).join('\n')}
<script>${SCRIPT}</script>
</body>
</html>
`;
}
