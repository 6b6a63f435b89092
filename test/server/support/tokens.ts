/** Token helpers for the server tests. */
/** Flips one character in the middle of the signature. */
export function tamper(token: string): string {
  const at = token.lastIndexOf('.') + 5;
  return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
}
