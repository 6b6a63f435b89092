/**
 * The docs pages that are ours (the overview of the channels and the normative text) and the bar that
 * every page, the AsyncAPI channel pages included, carries at its top. Plain HTML with one shared
 * stylesheet: they open instantly from `file://` and need no script.
 */
import type { Requirement } from '../protocol/requirements.js';
import type { ChannelDocument } from './channel-documents.js';
import { escapeHtml, renderMarkdown, renderMarkdownInline, type MarkdownOptions } from './markdown.js';

export const OVERVIEW_PAGE = 'index.html';
/**
 * The normative text's page, with an anchor per requirement ID (`protocol.html#HB-003`). Reports link to
 * it where src/conformance/docs-link.ts says: generated/docs/protocol.html.
 */
export const PROTOCOL_PAGE = 'protocol.html';
export const STYLESHEET = 'tidewire.css';

/** What the top bar shows: the docs' name, where the reader is, and the page's channel address if any. */
export interface BarOptions {
  /** e.g. `Tidewire 1.0.0`. */
  brand: string;
  current: 'overview' | 'protocol' | 'channel';
  /** The channel page's address (`/ws/campaigns`). */
  address?: string;
}

export function topBar(options: BarOptions): string {
  const link = (href: string, text: string, here: boolean) =>
    `<a href="${href}"${here ? ' aria-current="page"' : ''}>${escapeHtml(text)}</a>`;
  return [
    '<header class="tw-bar">',
    `<a class="tw-brand" href="${OVERVIEW_PAGE}">${escapeHtml(options.brand)}</a>`,
    '<nav>',
    link(OVERVIEW_PAGE, 'Channels', options.current === 'overview'),
    ' · ',
    link(PROTOCOL_PAGE, 'Protocol (normative text)', options.current === 'protocol'),
    '</nav>',
    options.address ? `<span class="tw-here">${escapeHtml(options.address)}</span>` : '',
    '</header>',
  ].join('');
}

function page(options: { title: string; banner: string; bar: BarOptions; body: string }): string {
  return `<!DOCTYPE html>
${options.banner}
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<link href="${STYLESHEET}" rel="stylesheet">
</head>
<body class="tw-with-bar">
${topBar(options.bar)}
<main class="tw-page">
${options.body}
</main>
</body>
</html>
`;
}

export interface ProtocolPageInput {
  markdown: string;
  requirements: readonly Requirement[];
  brand: string;
  banner: string;
}

/** docs/protocol.md as HTML: requirement anchors kept, IDs in the text linked, a table of contents. */
export function protocolPage(input: ProtocolPageInput): string {
  const ids = new Set(input.requirements.map((r) => r.id));
  const { html, headings } = renderMarkdown(input.markdown, {
    requirementHref: (id) => (ids.has(id) ? `#${id}` : undefined),
  });
  const title = headings.find((h) => h.level === 1)?.text ?? 'Protocol';
  const toc = headings
    .filter((h) => h.level === 2)
    .map((h) => `<li><a href="#${h.id}">${escapeHtml(h.text)}</a></li>`)
    .join('\n');
  // The table of contents goes after the introduction, before the first section.
  const firstSection = html.indexOf('<h2');
  const contents = `<nav aria-label="Contents"><ol class="tw-toc">\n${toc}\n</ol></nav>\n`;
  const body = firstSection < 0 ? html : html.slice(0, firstSection) + contents + html.slice(firstSection);
  return page({ title, banner: input.banner, bar: { brand: input.brand, current: 'protocol' }, body });
}

export interface OverviewPageInput {
  title: string;
  version: string;
  /** info.description (Markdown). */
  description?: string;
  /** info.tags: the families, in the document's order, with their descriptions. */
  tags: ReadonlyArray<{ name: string; description?: string }>;
  channels: readonly ChannelDocument[];
  links: MarkdownOptions;
  banner: string;
  /** The single-file AsyncAPI document, relative to the docs folder. */
  bundledDocument: string;
}

/** Every channel by family, with its address, what it carries and a link to its page. */
export function overviewPage(input: OverviewPageInput): string {
  const brand = `${input.title} ${input.version}`;
  const known = input.tags.map((t) => t.name);
  // A channel is listed once, under the last of its tags in the document's order: a Socket.IO namespace
  // tagged with its family and `socket.io` goes under `socket.io`.
  const groupOf = (channel: ChannelDocument) =>
    [...known].reverse().find((tag) => channel.tags.includes(tag)) ?? 'other';
  const groups = [
    ...input.tags.map((tag) => ({
      heading: tag.name,
      description: tag.description,
      channels: input.channels.filter((c) => groupOf(c) === tag.name),
    })),
    {
      heading: 'other',
      description: undefined,
      channels: input.channels.filter((c) => !c.tags.some((t) => known.includes(t))),
    },
  ].filter((group) => group.channels.length > 0);
  const sections = groups.map((group) => {
    const rows = group.channels.map(
      (c) =>
        `<tr><td><a href="${escapeHtml(c.name)}.html"><code>${escapeHtml(c.address)}</code></a></td>` +
        `<td>${renderMarkdownInline(c.description ?? c.summary ?? '', input.links)}</td></tr>`,
    );
    return [
      `<h2 id="family-${escapeHtml(group.heading)}">${escapeHtml(group.heading)}</h2>`,
      group.description ? `<p>${renderMarkdownInline(group.description, input.links)}</p>` : '',
      '<table>',
      '<thead><tr><th>endpoint</th><th>what it carries</th></tr></thead>',
      `<tbody>\n${rows.join('\n')}\n</tbody>`,
      '</table>',
    ].join('\n');
  });
  const body = [
    `<h1>${escapeHtml(brand)}</h1>`,
    input.description ? renderMarkdown(input.description, input.links).html : '',
    `<p>The rules, each with its requirement ID, are in <a href="${PROTOCOL_PAGE}">the protocol</a>. ` +
      'Each endpoint below has a page with its messages and their schemas. ' +
      `The whole AsyncAPI document as one file: <a href="${escapeHtml(input.bundledDocument)}">` +
      `${escapeHtml(input.bundledDocument.split('/').pop() ?? input.bundledDocument)}</a>.</p>`,
    ...sections,
  ].join('\n');
  return page({
    title: `${brand} documentation`,
    banner: input.banner,
    bar: { brand, current: 'overview' },
    body,
  });
}
