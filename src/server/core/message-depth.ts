/**
 * How deep a client text nests, found before it is parsed. `JSON.parse` of deeply nested input costs
 * about ten times what a flat message of the same size does, and what it builds cannot be serialised
 * again (`JSON.stringify` overflows the stack at a few thousand levels), so deep input is refused unread.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** Whether `text` opens more than `maxDepth` arrays and objects inside one another (string contents skipped). */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  // Each level needs an opening character: a text this short cannot be too deep.
  if (text.length <= maxDepth) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}
