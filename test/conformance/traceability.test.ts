/**
 * Ties every server requirement of docs/protocol.md to one check that quotes it and to one fault of the
 * reference server that breaks it (the fault matrix runs each), and pins the list of checks.
 */
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../src/conformance/checks/index.js';
import { readRequirements } from '../../src/protocol/requirements.js';
import { FAULT_IDS } from '../../src/server/faults/index.js';

const SERVER_REQUIREMENTS = readRequirements().filter((r) => !r.id.startsWith('CR-'));

describe('traceability of the server checks', () => {
  it('has exactly one check per server requirement', () => {
    const checkIds = ALL_CHECKS.map((check) => check.id);
    expect(new Set(checkIds).size).toBe(checkIds.length);
    expect([...checkIds].sort()).toEqual(SERVER_REQUIREMENTS.map((r) => r.id).sort());
  });

  it('quotes each requirement with its level and sentence', () => {
    const byId = new Map(SERVER_REQUIREMENTS.map((r) => [r.id, r]));
    for (const check of ALL_CHECKS) {
      const requirement = byId.get(check.id);
      expect(requirement, `${check.id} cites a requirement of docs/protocol.md`).toBeDefined();
      expect({ level: check.level, text: check.requirement }).toEqual({
        level: requirement?.level,
        text: requirement?.text,
      });
    }
  });

  it('has a reference-server fault for every server requirement', () => {
    expect([...FAULT_IDS].sort()).toEqual(SERVER_REQUIREMENTS.map((r) => r.id).sort());
  });

  it('keeps the list of checks stable', () => {
    expect(
      ALL_CHECKS.map((check) => `${check.id} ${check.level} ${check.area}`).join('\n'),
    ).toMatchSnapshot();
  });
});
