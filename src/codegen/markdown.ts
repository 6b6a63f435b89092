/**
 * Markdown to HTML for the docs pages (markdown-it), with two additions: every heading gets the id GitHub
 * gives it (`## 5. Heartbeat` → `#5-heartbeat`), so links into docs/protocol.md and into its page agree;
 * and every known requirement ID in running text (`HB-003`) becomes a link to its rule.
 */
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

/** A requirement ID as docs/protocol.md writes it. */
const REQUIREMENT_ID = /\b[A-Z]+-\d{3}\b/g;

export interface MarkdownOptions {
  /** The link of a requirement ID, or undefined for an ID that is not one (it stays text). */
  requirementHref(id: string): string | undefined;
}

export interface Heading {
  level: number;
  id: string;
  text: string;
}

export interface RenderedMarkdown {
  html: string;
  /** Every heading in document order, with the id it was given. */
  headings: Heading[];
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
export function headingSlug(text: string, taken: Map<string, number>): string {
  const base = text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
  const seen = taken.get(base);
  taken.set(base, (seen ?? -1) + 1);
  return seen === undefined ? base : `${base}-${seen + 1}`;
}

/** Splits the text children of inline tokens at requirement IDs and wraps each in a link. */
function linkRequirements(tokens: Token[], options: MarkdownOptions, TokenClass: typeof Token): void {
  for (const block of tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const children: Token[] = [];
    let linkDepth = 0;
    for (const child of block.children) {
      if (child.type === 'link_open') linkDepth++;
      if (child.type === 'link_close') linkDepth--;
      if (child.type !== 'text' || linkDepth > 0) {
        children.push(child);
        continue;
      }
      let last = 0;
      for (const match of child.content.matchAll(REQUIREMENT_ID)) {
        const href = options.requirementHref(match[0]);
        if (href === undefined) continue;
        const index = match.index ?? 0;
        if (index > last) children.push(textToken(TokenClass, child.content.slice(last, index)));
        const open = new TokenClass('link_open', 'a', 1);
        open.attrSet('href', href);
        children.push(open, textToken(TokenClass, match[0]), new TokenClass('link_close', 'a', -1));
        last = index + match[0].length;
      }
      if (last === 0) children.push(child);
      else if (last < child.content.length) children.push(textToken(TokenClass, child.content.slice(last)));
    }
    block.children = children;
  }
}

function textToken(TokenClass: typeof Token, content: string): Token {
  const token = new TokenClass('text', '', 0);
  token.content = content;
  return token;
}

/** Renders trusted Markdown (ours: inline HTML such as the requirement anchors passes through). */
export function renderMarkdown(markdown: string, options: MarkdownOptions): RenderedMarkdown {
  const md = new MarkdownIt({ html: true });
  const headings: Heading[] = [];
  md.core.ruler.push('tidewire_headings_and_requirements', (state) => {
    const taken = new Map<string, number>();
    state.tokens.forEach((token, index) => {
      if (token.type !== 'heading_open') return;
      const text = state.tokens[index + 1]?.content ?? '';
      const id = headingSlug(text, taken);
      token.attrSet('id', id);
      headings.push({ level: Number(token.tag.slice(1)), id, text });
    });
    linkRequirements(state.tokens, options, state.Token);
  });
  return { html: md.render(markdown), headings };
}

/** Renders one line of Markdown without a wrapping paragraph (descriptions in tables). */
export function renderMarkdownInline(markdown: string, options: MarkdownOptions): string {
  const md = new MarkdownIt({ html: false });
  md.core.ruler.push('tidewire_requirements', (state) =>
    linkRequirements(state.tokens, options, state.Token),
  );
  return md.renderInline(markdown);
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Links the known requirement IDs of a Markdown text that another renderer will render (the AsyncAPI
 * descriptions): `(HB-003)` → `([HB-003](<href>))`, except inside code spans and existing links.
 */
export function linkRequirementsInMarkdown(markdown: string, options: MarkdownOptions): string {
  // Code spans and links are kept whole; the text between them is linked.
  return markdown
    .split(/(`+[^`]*`+|\[[^\]]*\]\([^)]*\))/)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replace(REQUIREMENT_ID, (id) => {
            const href = options.requirementHref(id);
            return href === undefined ? id : `[${id}](${href})`;
          }),
    )
    .join('');
}
