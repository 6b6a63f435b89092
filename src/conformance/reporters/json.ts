/**
 * JSON reporter: the run report as one JSON document (`--reporter json`), validated by
 * `report.schema.json` next to this file. Fields:
 *
 * - `tool`: `{ name: "tidewire-conformance", version }`.
 * - `target`: the URL checked (or a description of the in-process reference server).
 * - `startedAt`: RFC 3339 time the run started.
 * - `families`: endpoint families the server offers (`campaign`, `chat`, `market`).
 * - `timers`: what the server advertised in `connection_established` (protocol defaults where it did not):
 *   `heartbeatIntervalMs`, `heartbeatTimeoutMs`, `resumeWindowMs`, `maxMessageBytes`,
 *   `rateLimit { maxMessages, windowMs }`, `authMode` (`required` | `optional` | `unknown`).
 * - `summary`: `total`, one count per outcome (`pass`, `fail`, `warn`, `skip`, `blocked`, `error`,
 *   `cancelled`), `expectedFailures` (results flagged as listed in the baseline), `unexpectedPasses`
 *   (baseline IDs that passed), `durationMs`.
 * - `checks[]`: one entry per check and iteration: `id` (requirement ID, or `REQUIRE-<FAMILY>` for a
 *   required family the server lacks), `level` (`MUST` | `SHOULD` | `MAY`), `area`, `title`,
 *   `requirement` (the sentence of docs/protocol.md), `spec` (a link to that sentence in the normative
 *   text; absent for `REQUIRE-*`), `outcome`, `durationMs`, `message`, optional
 *   `expected` and `actual`, `evidence` (on a pass: what the check observed), `blockedBy` (on `blocked`: the
 *   check that owns the failed precondition), `iteration` (with `--repeat`), `expectedFailure`, and
 *   `transcript[]`:
 *   `{ at (ms since the check started), connection (1, 2 … within the check; 0 for notes), direction
 *   (sent | received | event), kind (text, binary, ping, pong, close, open, http, error, note), data }`.
 * - `exitCode`: the runner's exit status: 0 every gating check passed, 1 a gating check failed, 2 a check
 *   could not be run, 130 / 143 the run was interrupted by SIGINT / SIGTERM (interrupted checks are
 *   `cancelled`).
 * - `rootCauses[]`: each root cause once, `{ checkId, message, blocked }`: the check that judges the
 *   precondition (HS-002 for a missing `connection_established`), what is wrong, and how many distinct
 *   checks it blocked (their `outcome` is `blocked` and `blockedBy` is that check).
 * - `diagnosis`: what the preflight found: `bindings` checked (`websocket`, `socket.io`), `engineIo` (the
 *   open packet of a Socket.IO server), `families[]` `{ family, path, upgrade, detail, established?,
 *   tokenAccepted? }`, and `dialects[]` `{ family, source, system, evidence, missing }` for a family that
 *   speaks a source system's dialect instead of tidewire.v1.
 * - `notes`: what the runner noticed while discovering the server (defaults used, families assumed).
 */
import { requirementLink } from '../docs-link.js';
import type { RunReport } from '../types.js';

export interface JsonReportOptions {
  /** Base of each check's `spec` link: `<docsBase>#HB-003`. Default: the protocol page of the package. */
  docsBase?: string;
}

export function renderJson(report: RunReport, options: JsonReportOptions = {}): string {
  const checks = report.checks.map(({ transcript, ...head }) => {
    const spec = requirementLink(head.id, options.docsBase);
    return { ...head, ...(spec === undefined ? {} : { spec }), transcript };
  });
  return `${JSON.stringify({ ...report, checks }, null, 2)}\n`;
}
