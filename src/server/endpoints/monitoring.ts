import type { EndpointHandler } from '../endpoint-handler.js';
import type { Follow } from './session-subscriptions.js';
import { periodicStatusHandler } from './periodic-status.js';
import type { SimulationSources } from './simulation-sources.js';

/** `/api/monitoring/ws` (seed 004): `system_status` on connect, then every 5 s. */
export function monitoringHandler({ system }: SimulationSources): EndpointHandler & { follow: Follow } {
  return periodicStatusHandler(system);
}
