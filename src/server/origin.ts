/**
 * Origin allow-list of the upgrade (SEC-001). Entries are exact origins (`https://app.example.com`) or
 * an origin with a `:*` port wildcard (`http://localhost:*` matches with or without a port); `'*'` allows
 * any Origin. Requests without an Origin (non-browser clients) are always allowed.
 */
export const DEFAULT_ALLOWED_ORIGINS: readonly string[] = [
  'http://localhost:*',
  'https://localhost:*',
  'http://127.0.0.1:*',
  'https://127.0.0.1:*',
];

export function isOriginAllowed(origin: string | undefined, allowed: readonly string[] | '*'): boolean {
  if (origin === undefined || allowed === '*') return true;
  return allowed.some((entry) => originMatches(origin, entry));
}

function originMatches(origin: string, entry: string): boolean {
  if (entry === '*') return true;
  if (!entry.endsWith(':*')) return origin === entry;
  const base = entry.slice(0, -2);
  return origin === base || new RegExp(`^${escapeRegExp(base)}:[0-9]{1,5}$`).test(origin);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
