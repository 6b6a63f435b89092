/**
 * Which instances a cluster check uses. Instances are told apart by the `instanceId` of their
 * `connection_established` (CLU-001): a check needs instances that are really different, or it proves
 * nothing, and then it is `blocked` by CLU-001 rather than passed.
 */
import type { EndpointName } from '../../protocol/endpoints.js';
import { ANY_ENDPOINT, choose } from '../checks/endpoint-choice.js';
import type { CheckContext } from '../types.js';

/** Why a cluster check does not run against one URL. */
export const ONE_INSTANCE =
  'cluster checks need the URLs of two or more instances of one deployment (--url once per instance)';

/** The `instanceId` each instance advertises (undefined for one that advertises none), by the run's order. */
export async function instanceIds(ctx: CheckContext): Promise<(string | undefined)[]> {
  const name: EndpointName = await choose(ctx, ANY_ENDPOINT);
  const ids: (string | undefined)[] = [];
  for (let instance = 0; instance < ctx.instances; instance++) {
    const conn = await ctx.connect(name, { instance });
    const id = conn.established?.instanceId;
    ids.push(typeof id === 'string' && id !== '' ? id : undefined);
    conn.close(1000);
  }
  return ids;
}

/** What is wrong with a set of instance ids, in words, or undefined when they are all there and all different. */
export function sameInstances(ids: readonly (string | undefined)[]): string | undefined {
  const missing = ids.findIndex((id) => id === undefined);
  if (missing >= 0) return `instance ${missing + 1} advertises no instanceId in connection_established`;
  for (let i = 0; i < ids.length; i++) {
    const j = ids.indexOf(ids[i], i + 1);
    if (j > 0) return `instances ${i + 1} and ${j + 1} both advertise instanceId "${ids[i]}": one instance`;
  }
  return undefined;
}

/**
 * `count` instance indexes for a check, each different from the one before it (with two instances and
 * three wanted: the first, the second, the first again). Skips with one URL; blocked by CLU-001 when the
 * instances cannot be told apart.
 */
export async function distinctInstances(ctx: CheckContext, count: number): Promise<number[]> {
  if (ctx.instances < 2) ctx.skip(ONE_INSTANCE);
  const problem = sameInstances(await instanceIds(ctx));
  if (problem) ctx.blocked('CLU-001', `${problem}, so a pass would prove nothing`);
  return Array.from({ length: count }, (_, i) => i % ctx.instances);
}

/** How a report names instance `index` (0-based). */
export const instanceName = (index: number) => `instance ${index + 1}`;
