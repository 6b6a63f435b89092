/** Redis URLs as the server accepts them, and as it shows them (never with a password). */

/** `redis://`, `rediss://` (TLS) or `unix:///path/to/socket`. */
export function isRedisUrl(url: string): boolean {
  return /^(rediss?|unix):\/\/./.test(url);
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
