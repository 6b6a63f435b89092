import type { EndpointHandler } from '../endpoint-handler.js';
import { periodicStatusHandler } from './periodic-status.js';
import type { SimulationSources } from './simulation-sources.js';

/** `/ws/huggingface` (seed 004): `models_status` on connect, then every 10 s. */
export function huggingfaceHandler({ models }: SimulationSources): EndpointHandler {
  return periodicStatusHandler(models);
}
