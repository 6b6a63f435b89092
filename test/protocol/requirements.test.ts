import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  REQUIREMENT_AREAS,
  parseRequirements,
  protocolDocPath,
  readRequirements,
} from '../../src/protocol/requirements.js';

const { requirements, problems } = parseRequirements(fs.readFileSync(protocolDocPath(), 'utf8'));

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
