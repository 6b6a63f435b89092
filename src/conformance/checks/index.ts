/**
 * Every server-side conformance check, one per server-observable requirement of docs/protocol.md,
 * in the document's order.
 */
import type { Check } from '../types.js';
import { ACK_CHECKS } from './acks.js';
import { AUTH_CHECKS } from './auth.js';
import { CLOSE_CHECKS } from './close.js';
import { CLUSTER_CHECKS } from './cluster.js';
import { ENVELOPE_CHECKS } from './envelope.js';
import { ERROR_CHECKS } from './errors.js';
import { HANDSHAKE_CHECKS } from './handshake.js';
import { HEARTBEAT_CHECKS } from './heartbeat.js';
import { RATE_LIMIT_CHECKS } from './rate-limit.js';
import { RESUME_CHECKS } from './resume.js';
import { SECURITY_CHECKS } from './security.js';
import { SOURCE_CHECKS } from './sources.js';
import { SOCKETIO_CHECKS } from './socketio.js';

export const ALL_CHECKS: readonly Check[] = [
  ...HANDSHAKE_CHECKS,
  ...AUTH_CHECKS,
  ...HEARTBEAT_CHECKS,
  ...CLOSE_CHECKS,
  ...ENVELOPE_CHECKS,
  ...ERROR_CHECKS,
  ...ACK_CHECKS,
  ...RATE_LIMIT_CHECKS,
  ...RESUME_CHECKS,
  ...SECURITY_CHECKS,
  ...SOURCE_CHECKS,
  ...SOCKETIO_CHECKS,
  ...CLUSTER_CHECKS,
];
