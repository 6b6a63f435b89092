/**
 * The runner against servers built exactly as sources 001, 003 and 004 describe theirs: the report's
 * first lines say which dialect it recognised, what is missing for tidewire.v1 and each root cause once;
 * the rules those servers meet pass; a rule is reported failed only when the server breaks it, and checks
 * that need what the server lacks are blocked by the check that judges it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runConformance, type RunOptions } from '../../src/conformance/api.js';
import { renderPretty } from '../../src/conformance/reporters/pretty.js';
import type { ProfileName } from '../../src/protocol/profiles.js';
import { scaled } from '../support/timing.js';
import {
  startSource001Server,
  startSource003Server,
  startSource004Server,
  type SeedServer,
} from './support/seed-servers.js';

const SECRET = 'seed-secret';
/** The servers' heartbeat period, given to the runner with --timers (they advertise none). */
const PERIOD_MS = scaled(300);
const TIMERS: RunOptions['timers'] = { heartbeatIntervalMs: PERIOD_MS, heartbeatTimeoutMs: PERIOD_MS };
/** Every wait of the runner doubled: the servers share the test's event loop, which a busy machine delays. */
const TIMEOUT_SCALE = 2;
const RUN_TIMEOUT_MS = scaled(150_000);

interface SeedCase {
  source: string;
  /** The profile its endpoints make up (section 15.7). */
  profile: ProfileName;
  start: () => Promise<SeedServer>;
  options: RunOptions;
  /** The report's first lines. */
  header: RegExp[];
  /** Rules the server breaks, as its source document describes it. */
  failed: string[];
  /** Rules it meets. */
  passed: string[];
}

const CASES: SeedCase[] = [
  {
    source: '001',
    profile: 'campaign-sender',
    start: () => startSource001Server({ tokenSecret: SECRET, pingIntervalMs: PERIOD_MS }),
    options: { tokenSecret: SECRET, timers: TIMERS },
    header: [
      /^Diagnosis:$/,
      /^ {2}campaign: source 001's campaign-sender dialect \(the campaign sender\): campaign_update .* first, no connection_established$/,
      /^ {4}missing for tidewire\.v1: connection_established \(sessionId, protocolVersion, timers\) \(HS-002\), subprotocol tidewire\.v1 \(HS-003\), a top-level timestamp on every message \(ENV-003\), seq on data messages \(ENV-004\)$/,
      /^Root causes:$/,
      /^ {2}no connection_established on any endpoint \(\/ws\/campaigns: sent campaign_update first\) \(HS-002\): blocked \d+ checks$/,
    ],
    // 001 closes with 1008 where Tidewire has 4xxx codes and an error first, selects campaign-updates even
    // when tidewire.v1 is offered, sends no RFC 6455 pings, ignores binary frames, text and JSON pings and
    // sizes, stamps only data.timestamp and checks no Origin.
    failed: [
      'AUTH-016',
      'AUTH-017',
      'HS-016',
      'HS-002',
      'HS-003',
      'HS-005',
      'HS-007',
      'HS-008',
      'AUTH-001',
      'AUTH-002',
      'AUTH-003',
      'AUTH-008',
      'AUTH-013',
      'AUTH-014',
      'HB-001',
      'HB-004',
      'HB-009',
      'CL-003',
      'CL-005',
      'ENV-003',
      'SEC-001',
    ],
    passed: [
      'HS-001',
      'HS-004',
      'HB-005',
      'HB-006',
      'HB-007',
      'CL-002',
      'SRC-001',
      'SRC-005',
      'CL-004',
      'CL-006',
      'ENV-001',
      'ENV-002',
    ],
  },
  {
    source: '003',
    profile: 'pilito',
    start: () => startSource003Server({ tokenSecret: SECRET }),
    options: { tokenSecret: SECRET, timers: TIMERS },
    header: [
      /^Diagnosis:$/,
      /^ {2}chat: source 003's pilito dialect \(Pilito customer chat\): connection_established \{type, message, timestamp\} without sessionId or timers$/,
      /^ {4}missing for tidewire\.v1: sessionId, protocolVersion, heartbeatIntervalMs, .* in connection_established \(HS-002\), subprotocol tidewire\.v1 \(HS-003\)$/,
      /^Root causes:$/,
      /^ {2}connection_established advertises no resumeWindowMs, maxMessageBytes, rateLimit\.maxMessages, rateLimit\.windowMs: checks wait by .* \(give the server's with --timers\) \(HS-002\)$/,
      /^ {2}data messages carry no seq \(ENV-004\): blocked \d+ checks$/,
    ],
    // Pilito serves every endpoint of its profile (section 15.7), reads the token only from the query,
    // sends no pings, answers no ping, error, ack, resume or refresh_customers, names no endpoint in
    // connection_established, checks no handshake parameter, numbers and stamps nothing, and its
    // authentication_error carries no closeCode. Checks that need acks, seq or a limit are blocked.
    failed: [
      'AUTH-015',
      'CL-008',
      'ERR-011',
      'HB-012',
      'HS-016',
      'HS-002',
      'HS-003',
      'HS-005',
      'HS-007',
      'HS-008',
      'HS-009',
      'AUTH-004',
      'AUTH-005',
      'HB-001',
      'HB-003',
      'HB-006',
      'CL-001',
      'CL-003',
      'CL-005',
      'ENV-003',
      'ENV-004',
      'ERR-001',
      'ERR-002',
      'ERR-003',
      'ERR-004',
      'ERR-005',
      'ERR-006',
      'ERR-009',
      'ACK-001',
      'ACK-003',
      'RL-001',
      'RL-002',
      'RES-002',
      'SEC-001',
    ],
    passed: [
      'HS-001',
      'HS-006',
      'HS-011',
      'HS-013',
      'HS-014',
      'SRC-003',
      'AUTH-001',
      'AUTH-002',
      'AUTH-003',
      'AUTH-006',
      'AUTH-009',
      'AUTH-013',
      'AUTH-014',
      'HB-005',
      'CL-002',
      'CL-004',
      'CL-006',
      'ENV-001',
      'ENV-002',
      'RL-003',
      'RL-005',
    ],
  },
  {
    source: '004',
    profile: 'market-data',
    start: () => startSource004Server({ feedIntervalMs: PERIOD_MS, pingIntervalMs: PERIOD_MS }),
    options: { timers: TIMERS },
    header: [
      /^Diagnosis:$/,
      /^ {2}market: source 004's market-data dialect \(the market data service\): system_status as \{type, timestamp, …\} first, no connection_established; answers \{"action":"get_all"\} with price_update$/,
      /^ {4}missing for tidewire\.v1: connection_established \(sessionId, protocolVersion, timers\) \(HS-002\), subprotocol tidewire\.v1 \(HS-003\), seq on data messages \(ENV-004\)$/,
      /^Root causes:$/,
      /^ {2}no connection_established on any endpoint \(\/api\/monitoring\/ws: sent system_status first\) \(HS-002\): blocked \d+ checks$/,
    ],
    // 004 selects no subprotocol, has no auth (a bad token is accepted), no resume (a malformed lastSeq
    // is accepted), closes nothing (no 4408, 1003, 1009), answers a client's pong with an error, checks
    // no Origin, and sends its clients the `{type:'ping'}` its document lists, which the market-data
    // dialect leaves out (SRC-002: source 004's React dashboard blanks on it). Its {action} requests are
    // the legacy form Tidewire keeps.
    failed: [
      'HS-016',
      'HS-002',
      'HS-003',
      'HS-005',
      'HS-007',
      'AUTH-001',
      'AUTH-003',
      'HB-002',
      'HB-010',
      'CL-003',
      'CL-005',
      'SEC-001',
      'SRC-002',
    ],
    passed: [
      'HS-001',
      'HB-001',
      'HB-003',
      'HB-005',
      'HB-006',
      'HB-007',
      'HB-011',
      'CL-004',
      'CL-006',
      'ENV-001',
      'ENV-002',
      'ENV-003',
      'ENV-006',
    ],
  },
];

let server: SeedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each(CASES)('a server built as source $source describes it', (seed) => {
  // AUTH-015 waits out a token's lifetime and the 30 s of clock skew a server may allow.
  it(
    'opens the report with its dialect and root causes, offers its profile, and fails only the rules it breaks',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      server = await seed.start();
      const report = await runConformance({ url: server.url, timeoutScale: TIMEOUT_SCALE, ...seed.options });
      const lines = renderPretty(report, { color: false, verbose: false }).split('\n');
      seed.header.forEach((line, i) => expect(lines[i]).toMatch(line));
      expect(report.profiles).toEqual([seed.profile]);

      const ids = (outcome: string) => report.checks.filter((c) => c.outcome === outcome).map((c) => c.id);
      expect(ids('fail').sort()).toEqual([...seed.failed].sort());
      expect(seed.passed.filter((id) => !ids('pass').includes(id))).toEqual([]);
      expect(ids('error')).toEqual([]);
      // No pass without evidence.
      expect(report.checks.filter((c) => c.outcome === 'pass' && !c.evidence?.length)).toEqual([]);
      // Every blocked check names a root cause the report lists once.
      const causes = new Set(report.rootCauses.map((c) => c.checkId));
      for (const blocked of report.checks.filter((c) => c.outcome === 'blocked')) {
        expect(causes.has(blocked.blockedBy ?? '')).toBe(true);
      }
      expect(new Set(report.rootCauses.map((c) => `${c.checkId} ${c.message}`)).size).toBe(
        report.rootCauses.length,
      );
    },
  );
});
