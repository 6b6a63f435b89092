/**
 * Profiles as the unit of offering (docs/protocol.md, section 15.7): how the runner resolves what a
 * server offers, and that a server built like one source system (the reference server with one chat
 * profile) conforms while `--require chat` still asks for the whole family.
 */
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/api.js';
import { IN_PROCESS_SERVER_OPTIONS } from '../../src/conformance/in-process-target.js';
import { resolveOffer } from '../../src/conformance/profile-offer.js';
import { ENDPOINTS, type EndpointName } from '../../src/protocol/endpoints.js';
import { endpointsOfProfiles, type ProfileName } from '../../src/protocol/profiles.js';
import { createServer } from '../../src/server/index.js';
import { scaled } from '../support/timing.js';
import { runAgainstReference } from './support/reference-run.js';

const served = (...profiles: ProfileName[]) => new Set<EndpointName>(endpointsOfProfiles(profiles));
const ALL = new Set(ENDPOINTS.map((spec) => spec.name));

describe('resolveOffer', () => {
  it('takes the declared profiles, and reports their endpoints that did not answer', () => {
    const withoutNews = new Set([...ALL].filter((name) => name !== 'news'));
    const offer = resolveOffer(withoutNews, ['campaign-sender', 'market-data']);
    expect(offer).toMatchObject({
      basis: 'declared',
      profiles: ['campaign-sender', 'market-data'],
      families: ['campaign', 'market'],
      incomplete: [{ profile: 'market-data', missing: ['news'] }],
    });
    expect(offer.notes).toEqual([
      'the server serves every endpoint of pilito, depth but does not declare it',
    ]);
  });

  it.each<[string, ProfileName[]]>([
    ['Pilito alone', ['pilito']],
    ['Depth alone', ['depth']],
    ['every profile', ['campaign-sender', 'pilito', 'depth', 'market-data']],
  ])('infers %s from the endpoints that answer when nothing is declared', (_name, profiles) => {
    const offer = resolveOffer(served(...profiles), undefined);
    expect(offer).toMatchObject({ basis: 'inferred', profiles, incomplete: [] });
  });

  it('infers, for each endpoint no complete profile covers, its profile with the most endpoints served', () => {
    const offer = resolveOffer(new Set<EndpointName>(['chat', 'conversations', 'notifications']), undefined);
    expect(offer.profiles).toEqual(['pilito', 'depth']);
    expect(offer.incomplete).toEqual([
      { profile: 'pilito', missing: ['customers'] },
      { profile: 'depth', missing: ['projects'] },
    ]);
    const mostlyDepth = resolveOffer(
      new Set<EndpointName>(['chat', 'notifications', 'projects', 'customers']),
      undefined,
    );
    expect(mostlyDepth.profiles).toEqual(['pilito', 'depth']);
    expect(mostlyDepth.incomplete).toEqual([{ profile: 'pilito', missing: ['conversations'] }]);
  });

  it('leaves out declared names it does not know, saying so', () => {
    const offer = resolveOffer(served('pilito'), ['pilito', 'admin-console']);
    expect(offer.profiles).toEqual(['pilito']);
    expect(offer.notes).toContain(
      'connection_established declares profiles this runner does not know: admin-console',
    );
    expect(offer.notes).toContain('the chat family is offered in part: pilito (not depth)');
  });
});

describe('a reference server built like one source system', () => {
  it.each<ProfileName>(['pilito', 'depth'])(
    'passes or skips every check when it offers only the %s profile',
    { timeout: scaled(60_000) },
    async (profile) => {
      const report = await runAgainstReference({ profiles: [profile] });
      const failing = report.checks
        .filter((check) => check.outcome !== 'pass' && check.outcome !== 'skip')
        .map((check) => `${check.id} ${check.outcome}: ${check.message}`);
      expect(failing).toEqual([]);
      expect(report.exitCode).toBe(0);
      expect(report.families).toEqual(['chat']);
      expect(report.profiles).toEqual([profile]);
      // The preflight asks the chat family on /ws/conversations/, or on /ws/chat/ where Depth has no
      // conversations.
      expect(report.diagnosis.families.find((f) => f.family === 'chat')).toMatchObject({
        path: profile === 'pilito' ? '/ws/conversations/' : '/ws/chat/',
        upgrade: 'offered',
        established: 'present',
      });
      expect(report.checks.find((check) => check.id === 'HS-001')?.evidence).toEqual([
        `HTTP 101 on the 3 paths of ${profile}`,
      ]);
      const other = profile === 'pilito' ? 'depth' : 'pilito';
      expect(report.notes).toContain(`the chat family is offered in part: ${profile} (not ${other})`);
    },
  );

  it('fails --require chat, naming the profile it lacks', { timeout: scaled(60_000) }, async () => {
    const server = await createServer({ ...IN_PROCESS_SERVER_OPTIONS, profiles: ['pilito'] });
    try {
      const report = await runConformance({
        url: server.url,
        tokenSecret: server.options.tokenSecret,
        require: ['chat'],
        only: ['HS-001'],
      });
      expect(report.checks.find((check) => check.id === 'REQUIRE-CHAT')).toMatchObject({
        outcome: 'fail',
        message:
          'expected the whole chat family, got: no depth profile (/ws/chat/, /ws/notifications/, /ws/projects/)',
      });
      expect(report.exitCode).toBe(1);
    } finally {
      await server.close();
    }
  });
});
