/**
 * The shape of a client text, found before it is parsed: how deep its arrays and objects nest, and how
 * many items (array elements and object members) it holds in all. `JSON.parse` of deeply nested input,
 * or of thousands of small values, costs many times what a message of the same size made of long strings
 * does, and deep input cannot even be serialised again (`JSON.stringify` overflows the stack at a few
 * thousand levels), so a text past either bound is refused unread. The scan itself is one pass.
 */

export interface MessageBounds {
  maxDepth: number;
  maxItems: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const SPACE = 0x20;
const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** Which bound `text` exceeds, if any (string contents are skipped; the text need not be valid JSON). */
export function exceededBound(text: string, bounds: MessageBounds): 'depth' | 'items' | undefined {
  const { maxDepth, maxItems } = bounds;
  // Each level needs an opening character and each item a character: a text this short is within both.
  if (text.length <= Math.min(maxDepth, maxItems)) return undefined;
  let depth = 0;
  let items = 0;
  let inString = false;
  // Right after an opening bracket: the next character that is not white space starts the first item,
  // unless it closes the (empty) container.
  let opened = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (opened && c !== SPACE && c !== TAB && c !== LINE_FEED && c !== CARRIAGE_RETURN) {
      opened = false;
      if (c !== CLOSE_BRACE && c !== CLOSE_BRACKET && ++items > maxItems) return 'items';
    }
    if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return 'depth';
      opened = true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    } else if (c === COMMA && ++items > maxItems) {
      return 'items';
    }
  }
  return undefined;
}
