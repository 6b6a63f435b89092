/**
 * What a server offers, in profiles (docs/protocol.md, section 15.7). The preflight calls
 * `servedEndpoints` to learn which endpoint paths answer the upgrade; discovery then calls `resolveOffer`
 * with those and the `profiles` a `connection_established` declared. HS-001, the endpoint choice of every
 * check and `--require` judge its result.
 */
import { setMaxListeners } from 'node:events';
import { endpoint, ENDPOINTS, type EndpointName, type Family } from '../protocol/endpoints.js';
import {
  endpointsOfProfiles,
  familiesOfProfiles,
  isProfileName,
  offersWholeFamily,
  PROFILES,
  profilesOfFamilies,
  type ProfileName,
} from '../protocol/profiles.js';
import { Probe, type ProbeEnvironment, type ProbeRequest } from './probe.js';

export interface ProfileOffer {
  /** The profiles the server offers, in catalogue order. */
  profiles: ProfileName[];
  /** How they were found: declared in `connection_established.profiles`, or inferred from the upgrades. */
  basis: 'declared' | 'inferred';
  /** The families of the offered profiles. */
  families: Family[];
  /** The endpoints of the offered profiles: the ones checks may use. */
  endpoints: EndpointName[];
  /** Offered profiles with endpoints that did not answer the upgrade (HS-001 fails on them). */
  incomplete: { profile: ProfileName; missing: EndpointName[] }[];
  /** What a user should know about the offer (undeclared profiles, unknown names). */
  notes: string[];
}

const HTTP_NOT_FOUND = 404;

/**
 * The endpoints whose upgrade gets any answer but HTTP 404 (one that gets none counts as served: HS-001
 * then reports it), all asked at once. These probes read only the upgrade's answer: frames that come with
 * it are left to the checks to judge.
 */
export async function servedEndpoints(
  environment: Omit<ProbeEnvironment, 'inspect'>,
  requestFor: (name: EndpointName) => ProbeRequest,
): Promise<Set<EndpointName>> {
  // One listener on the caller's signal, however many probes listen to this one.
  const probes = new AbortController();
  setMaxListeners(0, probes.signal);
  const abort = () => probes.abort();
  if (environment.signal.aborted) abort();
  else environment.signal.addEventListener('abort', abort, { once: true });
  const upgradeOnly: ProbeEnvironment = {
    transcript: environment.transcript,
    timeoutScale: environment.timeoutScale,
    signal: probes.signal,
    nextConnectionNumber: () => environment.nextConnectionNumber(),
    inspect: () => {},
  };
  const statuses = await Promise.all(
    ENDPOINTS.map(async (spec) => {
      const probe = new Probe(upgradeOnly, requestFor(spec.name));
      try {
        return { name: spec.name, status: (await probe.handshake).status };
      } catch {
        return { name: spec.name, status: undefined };
      } finally {
        probe.dispose();
      }
    }),
  );
  environment.signal.removeEventListener('abort', abort);
  return new Set(statuses.filter((a) => a.status !== HTTP_NOT_FOUND).map((a) => a.name));
}

/** The declared profiles of a `connection_established`, or undefined when it declares none. */
export function declaredProfiles(established: Record<string, unknown> | undefined): unknown[] | undefined {
  const declared = established?.profiles;
  return Array.isArray(declared) ? declared : undefined;
}

/**
 * The offer of a server whose upgrades answered on `served` (any answer but HTTP 404), with the profiles
 * it declared, if it did. Unknown declared names are noted and left out (a later minor version may add
 * profiles). Without a declaration, the server offers every profile it serves completely, plus, for each
 * served endpoint outside those, its profile with the most endpoints served.
 */
export function resolveOffer(
  served: ReadonlySet<EndpointName>,
  declared: readonly unknown[] | undefined,
): ProfileOffer {
  const notes: string[] = [];
  const known = (declared ?? []).filter(isProfileName);
  const unknown = (declared ?? []).filter((name) => !isProfileName(name));
  if (unknown.length > 0) {
    notes.push(`connection_established declares profiles this runner does not know: ${unknown.join(', ')}`);
  }
  const basis = declared !== undefined && known.length > 0 ? 'declared' : 'inferred';
  const offered = new Set<ProfileName>(basis === 'declared' ? known : inferred(served));
  const profiles = PROFILES.filter((p) => offered.has(p.name)).map((p) => p.name);
  const incomplete = PROFILES.filter((p) => offered.has(p.name))
    .map((p) => ({ profile: p.name, missing: p.endpoints.filter((name) => !served.has(name)) }))
    .filter((entry) => entry.missing.length > 0);
  if (basis === 'inferred') {
    notes.push(
      `the server does not declare its profiles in connection_established; taken from the endpoints that answer: ${profiles.join(', ') || 'none'}`,
    );
  } else {
    const undeclared = completeProfiles(served).filter((name) => !offered.has(name));
    if (undeclared.length > 0)
      notes.push(`the server serves every endpoint of ${undeclared.join(', ')} but does not declare it`);
  }
  for (const family of familiesOfProfiles(profiles)) {
    const missing = missingForFamily(family, profiles);
    if (missing.length > 0) {
      const offeredHere = profiles.filter((name) => profilesOfFamilies([family]).includes(name));
      notes.push(
        `the ${family} family is offered in part: ${offeredHere.join(', ')} (not ${missing.join(', ')})`,
      );
    }
  }
  return {
    profiles,
    basis,
    families: familiesOfProfiles(profiles),
    endpoints: endpointsOfProfiles(profiles),
    incomplete,
    notes,
  };
}

/** Profiles every endpoint of which answered. */
export function completeProfiles(served: ReadonlySet<EndpointName>): ProfileName[] {
  return PROFILES.filter((p) => p.endpoints.every((name) => served.has(name))).map((p) => p.name);
}

function inferred(served: ReadonlySet<EndpointName>): ProfileName[] {
  const chosen = completeProfiles(served);
  const covered = new Set(endpointsOfProfiles(chosen));
  for (const spec of ENDPOINTS) {
    if (!served.has(spec.name) || covered.has(spec.name)) continue;
    const best = PROFILES.filter((p) => p.endpoints.includes(spec.name)).sort(
      (a, b) => servedCount(b.endpoints, served) - servedCount(a.endpoints, served),
    )[0];
    chosen.push(best.name);
    for (const name of best.endpoints) covered.add(name);
  }
  return chosen;
}

function servedCount(endpoints: readonly EndpointName[], served: ReadonlySet<EndpointName>): number {
  return endpoints.filter((name) => served.has(name)).length;
}

/** The profiles of `family` missing from the offer (what a failed `--require <family>` names). */
export function missingForFamily(family: Family, profiles: readonly ProfileName[]): ProfileName[] {
  if (offersWholeFamily(family, profiles)) return [];
  return profilesOfFamilies([family]).filter((name) => !profiles.includes(name));
}

/** The paths of endpoints, for messages. */
export function pathsOf(names: readonly EndpointName[]): string {
  return names.map((name) => endpoint(name).path).join(', ');
}
