import type { EndpointHandler } from '../endpoint-handler.js';
import type { Follow } from './session-subscriptions.js';
import { periodicStatusHandler } from './periodic-status.js';
import type { SimulationSources } from './simulation-sources.js';

/** `/ws/huggingface` (seed 004): `models_status` on connect, then every 10 s. */
export function huggingfaceHandler({ models }: SimulationSources): EndpointHandler & { follow: Follow } {
  return periodicStatusHandler(models);
}
