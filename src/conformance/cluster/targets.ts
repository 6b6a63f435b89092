/**
 * What a run connects to: one server (`--url` once), or in cluster mode every instance of one deployment
 * (`--url` given once per instance). The checks of sections 3 to 12 run against the first; the cluster
 * checks (CLU) against all. Each URL must be well formed, and the other instances reachable (the
 * preflight looks at the first), or the run stops at once.
 */
import { assertReachable, parseTargetUrl } from '../reachability.js';
import { RunnerError } from '../runner-error.js';
import type { TargetTransport } from '../types.js';

export interface Targets {
  /** The first instance: every check but the cluster checks runs against it. */
  targetUrl: string;
  /** Cluster mode: every instance, the first one first. */
  instanceUrls?: string[];
  /** How reports name what was checked. */
  label: string;
}

export async function resolveTargets(
  options: { url?: string; urls?: readonly string[] },
  connectTimeoutMs: number,
  transport: Pick<TargetTransport, 'ca' | 'insecure'>,
): Promise<Targets> {
  if (options.url !== undefined && options.urls !== undefined) {
    throw new RunnerError('give either url or urls (one --url per instance), not both');
  }
  const raw = options.urls ?? (options.url !== undefined ? [options.url] : []);
  if (raw.length === 0) throw new RunnerError('urls must name at least one instance');
  const urls = raw.map(parseTargetUrl);
  await Promise.all(urls.slice(1).map((url) => assertReachable(url, connectTimeoutMs, transport)));
  const [targetUrl, ...others] = urls.map(String);
  if (others.length === 0) return { targetUrl, label: targetUrl };
  return {
    targetUrl,
    instanceUrls: [targetUrl, ...others],
    label: `${targetUrl} and ${others.length} more instance${others.length > 1 ? 's' : ''} (${others.join(', ')})`,
  };
}

/**
 * The cluster checks belong to cluster mode: a run against one server leaves them out, unless its `only`
 * names them (by ID, ID prefix or area), when they are reported as skipped with the reason.
 */
export function inClusterMode<C extends { id: string; area: string }>(
  checks: readonly C[],
  options: { urls?: readonly string[]; only?: readonly string[] },
): C[] {
  if ((options.urls?.length ?? 0) > 1) return [...checks];
  const named = (options.only ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim().toUpperCase())
    .some((value) => value === 'CLUSTER' || value === 'CLU' || value.startsWith('CLU-'));
  return named ? [...checks] : checks.filter((check) => check.area !== 'cluster');
}
