/**
 * How often the simulated sources produce, at speed 1. The market figures are the seed service's own
 * (prices every second, system status every 5 s, model status every 10 s, sentiment every minute); the
 * others are chosen so that a front end sees something happen within seconds.
 */
export const BaseCadenceMs = {
  /** One campaign step: a QR code, a status, one recipient sent… */
  campaignStep: 1_000,
  /** Pause between a completed campaign run and the next one. */
  campaignRestartPause: 10_000,
  /** Delay of the simulated AI reply after a user's chat message. */
  aiReply: 1_500,
  /** A new notification for each user who follows notifications. */
  notification: 20_000,
  price: 1_000,
  /** News arrive at random intervals between these two. */
  newsMin: 3_000,
  newsMax: 15_000,
  sentiment: 60_000,
  modelsStatus: 10_000,
  systemStatus: 5_000,
} as const;

/** A base cadence divided by the simulation speed, never below 1 ms. */
export function scaledMs(baseMs: number, speed: number): number {
  return Math.max(1, Math.round(baseMs / speed));
}
