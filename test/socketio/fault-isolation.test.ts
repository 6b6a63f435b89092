/**
 * The two bindings of the reference server break their rules at seams of their own: with every deliberate
 * fault of one binding at once, the checks of the other binding still pass. (The fault matrix runs each
 * fault against its own binding's checks.)
 */
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import { ALL_CHECKS } from '../../src/conformance/checks/index.js';
import type { Binding } from '../../src/conformance/types.js';
import { FAULT_IDS } from '../../src/server/faults/index.js';
import { scaled } from '../support/timing.js';

const RUN_DEADLINE_MS = scaled(60_000);
const bindingOf = (id: string): Binding => (id.startsWith('SIO-') ? 'socket.io' : 'websocket');

describe('faults of one binding', () => {
  it.each<[Binding, Binding]>([
    ['websocket', 'socket.io'],
    ['socket.io', 'websocket'],
  ])(
    'leave the checks of the other binding passing: every %s fault at once, the %s checks',
    { timeout: RUN_DEADLINE_MS },
    async (broken, checked) => {
      const report = await runConformance({
        faults: FAULT_IDS.filter((id) => bindingOf(id) === broken),
        checks: ALL_CHECKS.filter((check) => (check.binding ?? 'websocket') === checked),
      });
      const notPassing = report.checks
        .filter((check) => check.outcome !== 'pass' && check.outcome !== 'skip')
        .map((check) => `${check.id} ${check.outcome}: ${check.message}`);
      expect(notPassing).toEqual([]);
    },
  );
});
