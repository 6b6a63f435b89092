/**
 * Suggestions for a mistyped option, selector or requirement ID: the known names within a few edits of
 * what was typed (`--onyl` → `--only`, `heartbeet` → `heartbeat`).
 */

/** Edits (insert, delete, replace, swap two neighbours) from `a` to `b`, ignoring case. */
function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  // rows[i][j]: distance between the first i characters of s and the first j of t.
  const rows = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
  }
  return rows[s.length][t.length];
}

/** Suggestions shown at most. */
const MAX_SUGGESTIONS = 3;

/** Shortest input completed to a longer name (`rate` → `rate-limit`). */
const MIN_PREFIX = 3;

/**
 * The candidates nearest to `input`, if any is near enough to be a typo of it (more edits for longer
 * words); else those it begins. Names that differ only in case count once.
 */
export function closest(input: string, candidates: Iterable<string>): string[] {
  const unique = new Map<string, string>();
  for (const candidate of candidates) {
    if (!unique.has(candidate.toLowerCase())) unique.set(candidate.toLowerCase(), candidate);
  }
  const allowed = input.length <= 4 ? 1 : input.length <= 8 ? 2 : 3;
  const scored = [...unique.values()]
    .map((candidate) => ({ candidate, distance: editDistance(input, candidate) }))
    .filter((s) => s.distance > 0 && s.distance <= allowed);
  const best = Math.min(...scored.map((s) => s.distance));
  const nearest = scored.filter((s) => s.distance === best).map((s) => s.candidate);
  const begun =
    input.length >= MIN_PREFIX
      ? [...unique.values()].filter(
          (c) => c.toLowerCase().startsWith(input.toLowerCase()) && c.length > input.length,
        )
      : [];
  return (nearest.length > 0 ? nearest : begun).slice(0, MAX_SUGGESTIONS);
}

/** `; did you mean HB-001?` (or `HB-001 or HB-010`), or '' when nothing is near. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const listed =
    suggestions.length === 1
      ? suggestions[0]
      : `${suggestions.slice(0, -1).join(', ')} or ${suggestions[suggestions.length - 1]}`;
  return `; did you mean ${listed}?`;
}

/**
 * `node:util` parseArgs' "Unknown option '--onyl'" with a suggestion among `options` (long names without
 * dashes) appended; any other message unchanged.
 */
export function withOptionSuggestion(message: string, options: Iterable<string>): string {
  const unknown = /^Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
  if (unknown === undefined) return message;
  return (
    message +
    didYouMean(
      closest(
        unknown,
        [...options].map((name) => `--${name}`),
      ),
    )
  );
}
