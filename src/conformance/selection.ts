/**
 * `--only` / `--skip` selection. A selector is a requirement ID (`HB-003`), an area (`heartbeat`), a family
 * (`market`) or an ID prefix (`HB`); matching ignores case. A family selects the checks that apply to it:
 * those naming it and those that run on any family; `--skip <family>` removes only the checks that need
 * nothing but skipped families.
 */
import { FAMILIES, type Family } from '../protocol/endpoints.js';
import { closest, didYouMean } from './did-you-mean.js';
import { RunnerError } from './runner-error.js';
import type { Check } from './types.js';

type Selector =
  | { kind: 'id'; id: string }
  | { kind: 'area'; area: string }
  | { kind: 'family'; family: Family }
  | { kind: 'prefix'; prefix: string };

function parseSelector(raw: string, checks: readonly Check[]): Selector {
  const value = raw.trim();
  const upper = value.toUpperCase();
  const lower = value.toLowerCase();
  if (checks.some((c) => c.id.toUpperCase() === upper)) return { kind: 'id', id: upper };
  if (checks.some((c) => c.area === lower)) return { kind: 'area', area: lower };
  if ((FAMILIES as readonly string[]).includes(lower)) return { kind: 'family', family: lower as Family };
  const prefix = upper.endsWith('-') ? upper : `${upper}-`;
  if (checks.some((c) => c.id.toUpperCase().startsWith(prefix))) return { kind: 'prefix', prefix };
  throw new RunnerError(
    `unknown check selector "${value}" (not a requirement ID, area, family or ID prefix)${didYouMean(suggestSelectors(value, checks))}`,
  );
}

/** Requirement IDs near a mistyped one: `HB-01` and `hb1` → `HB-001`, `HB-0003` → `HB-003`, `HS-01O` → … */
export function suggestIds(value: string, checks: readonly Check[]): string[] {
  const ids = checks.map((c) => c.id);
  const numbered = /^([a-z]+)-?0*(\d+)$/i.exec(value.trim());
  if (numbered) {
    const padded = `${numbered[1].toUpperCase()}-${numbered[2].padStart(3, '0')}`;
    if (ids.includes(padded)) return [padded];
  }
  return closest(value.trim(), ids);
}

function suggestSelectors(value: string, checks: readonly Check[]): string[] {
  const ids = suggestIds(value, checks);
  if (ids.length > 0) return ids;
  const names = [
    ...checks.map((c) => c.area),
    ...FAMILIES,
    ...checks.map((c) => c.id.slice(0, c.id.lastIndexOf('-'))),
  ];
  return closest(value.trim(), names);
}

function selects(selector: Selector, check: Check, mode: 'only' | 'skip'): boolean {
  switch (selector.kind) {
    case 'id':
      return check.id.toUpperCase() === selector.id;
    case 'area':
      return check.area === selector.area;
    case 'prefix':
      return check.id.toUpperCase().startsWith(selector.prefix);
    case 'family':
      return mode === 'only'
        ? check.families.length === 0 || check.families.includes(selector.family)
        : check.families.length > 0 && check.families.every((f) => f === selector.family);
  }
}

/** Splits comma lists and drops empty entries: `["HB-001,HB-002", "auth"]` → three selectors. */
export function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

export function selectChecks(
  checks: readonly Check[],
  only: readonly string[] | undefined,
  skip: readonly string[] | undefined,
): Check[] {
  const onlySelectors = splitList(only).map((s) => parseSelector(s, checks));
  const skipSelectors = splitList(skip).map((s) => parseSelector(s, checks));
  const skippedFamilies = skipSelectors.filter((s) => s.kind === 'family');
  return checks.filter((check) => {
    if (onlySelectors.length > 0 && !onlySelectors.some((s) => selects(s, check, 'only'))) return false;
    if (skipSelectors.some((s) => s.kind !== 'family' && selects(s, check, 'skip'))) return false;
    if (
      skippedFamilies.length > 0 &&
      check.families.length > 0 &&
      check.families.every((f) => skippedFamilies.some((s) => s.kind === 'family' && s.family === f))
    ) {
      return false;
    }
    return true;
  });
}
