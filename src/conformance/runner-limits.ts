/**
 * The runner's own limits: what it builds, sends, accepts and keeps, whatever the server under test
 * advertises or sends. A server that advertises `maxMessageBytes: 1e15` or floods pings meets these caps
 * and the checks concerned end saying so, instead of the runner exhausting its memory or stalling the
 * timing of every other check. docs/protocol.md section 17 lists them.
 */

/** Largest message the runner builds or sends (CL-005 sends `maxMessageBytes` + 1 bytes). */
export const MAX_SENT_MESSAGE_BYTES = 8 * 1024 * 1024;
/** Largest frame a probe accepts: `ws` closes with 1009 above it, and the check ends as `error`. */
export const PROBE_MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;
/** Received messages a probe keeps for `next()` and `received`; the oldest are dropped beyond these. */
export const PROBE_MAX_QUEUED_MESSAGES = 2_000;
export const PROBE_MAX_QUEUED_BYTES = 8 * 1024 * 1024;
/** RFC 6455 pings and pongs a probe remembers. */
export const PROBE_MAX_CONTROL_FRAMES = 1_000;
/**
 * Bytes a probe may have queued for sending (a burst) while the server reads nothing: beyond it the
 * runner drops the connection and says it did.
 */
export const PROBE_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/**
 * Automatic pongs a probe may owe at once (`ws`'s own default): a server that floods pings without
 * reading the pongs is dropped, and the runner says it did.
 */
export const PROBE_MAX_PENDING_AUTO_PONGS = 60;
/**
 * Deepest nesting of arrays and objects the runner parses. No protocol message nests deeper than a few
 * levels; a deeper frame is kept as text, not parsed (a 2 MB nested array takes `JSON.parse` over a
 * second, which would stall the timing of every check running at the same time).
 */
export const MAX_JSON_DEPTH = 64;
/**
 * What the runner's heap stays under against any server, with the default concurrency: the bounds
 * above per connection, bounded transcripts per check, and garbage not yet collected.
 */
export const RUNNER_HEAP_CAP_BYTES = 512 * 1024 * 1024;

/**
 * The nesting depth of a JSON text, counting only brackets outside strings, or `Infinity` as soon as it
 * exceeds `limit` (so a hostile frame costs a scan of its first `limit` levels, not a parse).
 */
export function jsonDepthWithin(text: string, limit: number = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > limit) return Infinity;
      if (depth > deepest) deepest = depth;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/**
 * A check ran into one of the runner's limits (a frame over its cap, a peer that floods it, a message too
 * large to build): the rule was not judged, and the result is `error`, never a failure of the server.
 */
export class RunnerLimitReached extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerLimitReached';
  }
}
