// The self-contained text of one clause's verdict: JUnit bodies and the Markdown summary both use it,
// so a failure reads the same wherever a user meets it.
import type { ClauseResult } from './results';

export function testName(c: Pick<ClauseResult, 'id' | 'title'>): string {
  return `${c.id} ${c.title}`;
}

export function className(c: Pick<ClauseResult, 'section' | 'heading'>): string {
  return `MS-CMRP ${c.section}${c.heading ? ` ${c.heading}` : ''}`;
}

export function clauseText(c: ClauseResult, protocolVersion: number): string {
  const lines = [
    `${c.verdict}: ${testName(c)}`,
    `[${className(c)}]${c.level ? ` ${c.level}` : ''}${c.party ? `, ${c.party}-side` : ''}, protocol version ${protocolVersion}, ${c.hits} hit${c.hits === 1 ? '' : 's'}`,
    `Requirement: ${c.summary}`,
  ];
  if (c.baseline) lines.push(`Baseline: expects ${c.baseline.expected} (${c.baseline.status}): ${c.baseline.reason}`);
  if (c.message) lines.push('', c.message);
  return lines.join('\n');
}
