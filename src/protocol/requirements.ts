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
  'SRC',
  'SIO',
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

/** Key words of RFC 2119 and RFC 8174, in capitals (longest first, so `MUST NOT` is one word). */
const KEY_WORD = /\b(?:MUST NOT|SHALL NOT|SHOULD NOT|MUST|REQUIRED|SHALL|SHOULD|RECOMMENDED|MAY|OPTIONAL)\b/;
/** A citation of a requirement ID such as `HS-007`. */
const CITED_ID = /\b[A-Z]+-\d{3}\b/;
/** The mark of a rule no peer can observe on demand (docs/protocol.md, section 1). */
export const NOT_OBSERVABLE_MARK = '*(not observable';
/** The sections whose rules must each cite an ID or carry the mark: 1 to 13 (14 on is not normative prose). */
const AUDITED_SECTIONS = /^## (\d+)\. /;
const LAST_AUDITED_SECTION = 13;

/**
 * Sentences and table rows of sections 1–13 that state a rule (a key word in capitals, or any table row)
 * but neither cite a requirement ID nor carry the not-observable mark. Rule lines, fenced blocks and key
 * words inside code spans (mentions, not uses) are left out. Each problem names its 1-based line.
 */
export function unmarkedRules(markdown: string): string[] {
  const problems: string[] = [];
  const lines = markdown.split(/\r?\n/);
  let section = 0;
  let fenced = false;
  /** The paragraph or list item being read: its first line number and its text. */
  let block: { line: number; text: string } | undefined;
  const flush = () => {
    if (block) {
      for (const sentence of sentencesOf(block.text)) {
        if (KEY_WORD.test(withoutCode(sentence)) && !isMarkedOrCited(sentence)) {
          problems.push(`line ${block.line}: neither an ID nor the not-observable mark: ${sentence}`);
        }
      }
    }
    block = undefined;
  };
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    const heading = AUDITED_SECTIONS.exec(line);
    if (heading) {
      flush();
      section = Number(heading[1]);
      return;
    }
    if (line.startsWith('```')) {
      flush();
      fenced = !fenced;
      return;
    }
    if (fenced || section === 0 || section > LAST_AUDITED_SECTION) return;
    if (RULE_LINE.test(line) || line.trim() === '' || line.startsWith('#')) {
      flush();
      return;
    }
    if (line.startsWith('|')) {
      flush();
      // Header rows are followed by the separator row; both name columns, not rules.
      const separator = /^\|[\s:|-]+\|$/;
      const next = lines[index + 1] ?? '';
      if (separator.test(line) || separator.test(next)) return;
      if (!isMarkedOrCited(line))
        problems.push(`line ${lineNo}: table row with neither an ID nor the mark: ${line}`);
      return;
    }
    const item = /^\s*(?:[-*]|\d+\.)\s/.test(line);
    if (item) flush();
    if (block) block.text += ` ${line.trim()}`;
    else block = { line: lineNo, text: line.trim() };
  });
  flush();
  return problems;
}

function isMarkedOrCited(text: string): boolean {
  return CITED_ID.test(text) || text.includes(NOT_OBSERVABLE_MARK);
}

/** Code spans removed: a key word inside backticks is mentioned, not used. */
function withoutCode(text: string): string {
  return text.replace(/`[^`]*`/g, '');
}

/** Sentences of a block: split after a `.` and a space, outside code spans and parentheses. */
function sentencesOf(text: string): string[] {
  const sentences: string[] = [];
  let depth = 0;
  let code = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '`') code = !code;
    if (code) continue;
    if (char === '(') depth += 1;
    if (char === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && char === '.' && text[i + 1] === ' ') {
      sentences.push(text.slice(start, i + 1).trim());
      start = i + 1;
    }
  }
  const rest = text.slice(start).trim();
  if (rest !== '') sentences.push(rest);
  return sentences;
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
