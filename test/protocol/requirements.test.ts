import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  REQUIREMENT_AREAS,
  parseRequirements,
  protocolDocPath,
  readRequirements,
  unmarkedRules,
} from '../../src/protocol/requirements.js';

const protocolDoc = fs.readFileSync(protocolDocPath(), 'utf8');
const { requirements, problems } = parseRequirements(protocolDoc);

describe('requirements of docs/protocol.md', () => {
  it('are written as well-formed rule lines with unique IDs', () => {
    expect(problems).toEqual([]);
    expect(requirements.length).toBeGreaterThan(0);
  });

  it('cover every area', () => {
    const areas = new Set(requirements.map((r) => r.id.split('-')[0]));
    expect([...areas].sort()).toEqual([...REQUIREMENT_AREAS].sort());
  });

  it('keep their IDs and levels (a change here must be deliberate: IDs are never renumbered)', () => {
    expect(requirements.map((r) => `${r.id} ${r.level}`).join('\n')).toMatchSnapshot();
  });

  it('leave no sentence with a key word, and no table row, of sections 1–13 without an ID or the mark', () => {
    expect(unmarkedRules(protocolDoc)).toEqual([]);
  });

  it('are what readRequirements returns', () => {
    expect(readRequirements()).toEqual(requirements);
  });
});

describe('parseRequirements', () => {
  it('reads the ID, level and sentence of a rule line', () => {
    const line = '- <a id="HB-003"></a>**HB-003** (MUST) The server answers a ping.';
    expect(parseRequirements(line)).toEqual({
      requirements: [{ id: 'HB-003', level: 'MUST', text: 'The server answers a ping.' }],
      problems: [],
    });
  });

  it('reports malformed rule lines, mismatched anchors, unknown areas and duplicates', () => {
    const markdown = [
      '- <a id="HB-3"></a>**HB-3** (MUST) Too short a number.',
      '- <a id="HB-004"></a>**HB-005** (MUST) Anchor and ID differ.',
      '- <a id="XX-001"></a>**XX-001** (SHOULD) Unknown area.',
      '- <a id="RL-001"></a>**RL-001** (MUST) First.',
      '- <a id="RL-001"></a>**RL-001** (MAY) Again.',
      '- **CL-009** (MUST) No anchor.',
    ].join('\n');
    const { problems: found } = parseRequirements(markdown);
    expect(found).toEqual([
      expect.stringMatching(/^line 1: malformed/),
      expect.stringMatching(/^line 2: anchor HB-004 differs from ID HB-005/),
      expect.stringMatching(/^line 3: unknown area XX/),
      expect.stringMatching(/^line 5: duplicate ID RL-001 \(first on line 4\)/),
      expect.stringMatching(/^line 6: malformed/),
    ]);
  });
});

describe('unmarkedRules', () => {
  const doc = (...body: string[]) =>
    ['## 3. Handshake', '', ...body, '', '## 14. Versioning', 'A server MAY do more.'].join('\n');

  it('reports a sentence that uses a key word without citing an ID or carrying the mark', () => {
    const found = unmarkedRules(doc('A server MUST echo it. Clients SHOULD retry (CR-001).'));
    expect(found).toEqual([expect.stringMatching(/^line 3: .*A server MUST echo it\.$/)]);
  });

  it('accepts a cited ID or the not-observable mark, and key words inside code spans', () => {
    const body = [
      'Servers MUST NOT log tokens *(not observable: logs stay inside the server)*.',
      'A token MAY come in the header (AUTH-004).',
      'Its level (`MUST` or `MAY`) is in parentheses.',
    ];
    expect(unmarkedRules(doc(...body))).toEqual([]);
  });

  it('reports a table row without an ID or the mark, never the header', () => {
    const table = ['| code | rule |', '|---|---|', '| 1003 | CL-003 |', '| 1001 | shutdown |'];
    expect(unmarkedRules(doc(...table))).toEqual([expect.stringMatching(/^line 6: table row .*1001/)]);
  });

  it('reads a list item as one block and leaves rule lines, fenced blocks and later sections alone', () => {
    const body = [
      '- a client MUST',
      '  resend it (CR-006).',
      '- <a id="HS-001"></a>**HS-001** (MUST) The server accepts an upgrade.',
      '```text',
      'a server MUST do this in a diagram',
      '```',
    ];
    expect(unmarkedRules(doc(...body))).toEqual([]);
  });
});
