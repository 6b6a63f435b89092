/**
 * Profiles: the unit a server offers (docs/protocol.md, section 15.7). Each profile is the set of
 * endpoints one source system had, so a server built like that system offers exactly one profile and
 * can conform; a family is the union of its profiles (the chat family joins Pilito's and Depth's).
 */
import { endpoint, FAMILIES, type EndpointName, type Family } from './endpoints.js';

export type ProfileName = 'campaign-sender' | 'pilito' | 'depth' | 'market-data';

export interface ProfileSpec {
  name: ProfileName;
  /** The source document the profile comes from (`shared/seeds/<source>_….md`). */
  source: '001' | '002' | '003' | '004';
  family: Family;
  endpoints: readonly EndpointName[];
}

export const PROFILES: readonly ProfileSpec[] = [
  { name: 'campaign-sender', source: '001', family: 'campaign', endpoints: ['campaigns'] },
  { name: 'pilito', source: '003', family: 'chat', endpoints: ['chat', 'conversations', 'customers'] },
  { name: 'depth', source: '002', family: 'chat', endpoints: ['chat', 'notifications', 'projects'] },
  {
    name: 'market-data',
    source: '004',
    family: 'market',
    endpoints: ['monitoring', 'market_data', 'news', 'sentiment', 'huggingface'],
  },
];

export const PROFILE_NAMES: readonly ProfileName[] = PROFILES.map((p) => p.name);

const byName = new Map(PROFILES.map((p) => [p.name, p]));

export function isProfileName(value: unknown): value is ProfileName {
  return typeof value === 'string' && byName.has(value as ProfileName);
}

export function profile(name: ProfileName): ProfileSpec {
  const spec = byName.get(name);
  if (!spec) throw new Error(`unknown profile ${name}`);
  return spec;
}

/** Every profile of the given families, in catalogue order. */
export function profilesOfFamilies(families: readonly Family[]): ProfileName[] {
  return PROFILES.filter((p) => families.includes(p.family)).map((p) => p.name);
}

/** The families the profiles belong to, in catalogue order. */
export function familiesOfProfiles(profiles: readonly ProfileName[]): Family[] {
  return FAMILIES.filter((family) => profiles.some((name) => profile(name).family === family));
}

/** The endpoints of the profiles, each once, in catalogue order of the profiles. */
export function endpointsOfProfiles(profiles: readonly ProfileName[]): EndpointName[] {
  return [...new Set(PROFILES.filter((p) => profiles.includes(p.name)).flatMap((p) => p.endpoints))];
}

/** True when every profile of `family` is among `profiles` (what `--require <family>` asks for). */
export function offersWholeFamily(family: Family, profiles: readonly ProfileName[]): boolean {
  return profilesOfFamilies([family]).every((name) => profiles.includes(name));
}

/** The profiles an endpoint belongs to. */
export function profilesOfEndpoint(name: EndpointName): ProfileName[] {
  endpoint(name);
  return PROFILES.filter((p) => p.endpoints.includes(name)).map((p) => p.name);
}
