/**
 * The requirement list of docs/protocol.md, read from its rule lines:
 * `- <a id="HB-003"></a>**HB-003** (MUST) The server answers …`.
 * Conformance checks and the traceability tests use it to tie every ID to one check and one fault.
 */
import fs from 'node:fs';
import path from 'node:path';
import { findAbove } from './find-above.js';

export type RequirementLevel = 'MUST' | 'SHOULD' | 'MAY';

export interface Requirement {
  id: string;
  level: RequirementLevel;
  text: string;
}

export interface RequirementsParse {
  requirements: Requirement[];
  /** Malformed rule lines and duplicate IDs, with their 1-based line numbers. */
  problems: string[];
}

/** Areas of docs/protocol.md; `CR` rules are checked against clients, the rest against servers. */
export const REQUIREMENT_AREAS = [
  'HS',
  'AUTH',
  'HB',
  'CL',
  'ENV',
  'ERR',
  'ACK',
  'RL',
  'RES',
  'SEC',
  'CLU',
  'CR',
] as const;

const RULE_LINE = /^- <a id="([A-Z]+-\d{3})"><\/a>\*\*([A-Z]+-\d{3})\*\* \((MUST|SHOULD|MAY)\) (\S.*)$/;
/** Anything that looks like it tries to be a rule line. */
const RULE_LIKE = /^\s*-\s*<a id=|^\s*-\s*\*\*[A-Z]+-\d+\*\*/;
const AREAS: ReadonlySet<string> = new Set(REQUIREMENT_AREAS);

export function parseRequirements(markdown: string): RequirementsParse {
  const requirements: Requirement[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  markdown.split(/\r?\n/).forEach((line, index) => {
    const lineNo = index + 1;
    const match = RULE_LINE.exec(line);
    if (!match) {
      if (RULE_LIKE.test(line)) problems.push(`line ${lineNo}: malformed rule line: ${line}`);
      return;
    }
    const [, anchor, id, level, text] = match;
    const area = id.slice(0, id.indexOf('-'));
    if (anchor !== id) problems.push(`line ${lineNo}: anchor ${anchor} differs from ID ${id}`);
    if (!AREAS.has(area)) problems.push(`line ${lineNo}: unknown area ${area} in ${id}`);
    const first = seen.get(id);
    if (first !== undefined) problems.push(`line ${lineNo}: duplicate ID ${id} (first on line ${first})`);
    else seen.set(id, lineNo);
    requirements.push({ id, level: level as RequirementLevel, text: text.trim() });
  });
  return { requirements, problems };
}

/** docs/protocol.md of this repository (works from src/ and from dist/). */
export function protocolDocPath(): string {
  const found = findAbove(path.join('docs', 'protocol.md'));
  if (!found) throw new Error('cannot find docs/protocol.md above the tidewire package');
  return found;
}

/** Every requirement of docs/protocol.md, in document order. */
export function readRequirements(docPath: string = protocolDocPath()): Requirement[] {
  return parseRequirements(fs.readFileSync(docPath, 'utf8')).requirements;
}
