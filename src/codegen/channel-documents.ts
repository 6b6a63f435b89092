/**
 * One AsyncAPI document per channel, cut from the bundled document: the channel, the operations on it,
 * and only the components they reach. The docs render one page per channel from them, so a page holds
 * what a reader of that endpoint needs and opens quickly (the whole protocol on one page is megabytes).
 */
import { refsIn, type BundledDocument } from './bundle.js';
import { linkRequirementsInMarkdown, type MarkdownOptions } from './markdown.js';

export interface ChannelDocument {
  /** Channel id: the page is `<name>.html`. */
  name: string;
  address: string;
  title?: string;
  summary?: string;
  description?: string;
  /** Tag names of the channel (the family). */
  tags: string[];
  document: BundledDocument;
}

type Json = Record<string, unknown>;

const LOCAL_REF = /^#\/components\/([^/]+)\/([^/]+)/;
/** Keys whose string values AsyncAPI renders as Markdown. */
const MARKDOWN_KEYS = new Set(['description', 'summary']);
/** Keys whose values are data, not schema or document text. */
const DATA_KEYS = new Set(['examples', 'example', 'const', 'enum', 'default']);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `#/components/<kind>/<name>` references anywhere under `node`, as [kind, name]. */
function componentRefs(node: unknown): Array<[string, string]> {
  return refsIn(node).flatMap((ref): Array<[string, string]> => {
    const match = LOCAL_REF.exec(ref);
    return match ? [[decodePointerToken(match[1]), decodePointerToken(match[2])]] : [];
  });
}

/** The components reachable from `roots`, following references between components too. */
function reachableComponents(components: Json, roots: unknown[]): Json {
  const kept: Record<string, Json> = {};
  const pending = roots.flatMap((root) => componentRefs(root));
  while (pending.length > 0) {
    const [kind, name] = pending.pop() as [string, string];
    const source = components[kind];
    if (!isObject(source) || !Object.hasOwn(source, name) || Object.hasOwn(kept[kind] ?? {}, name)) continue;
    (kept[kind] ??= {})[name] = source[name];
    pending.push(...componentRefs(source[name]));
  }
  // Keep the document's order of kinds and names, so the output does not depend on the walk.
  const ordered: Json = {};
  for (const [kind, entries] of Object.entries(components)) {
    if (!kept[kind] || !isObject(entries)) continue;
    ordered[kind] = Object.fromEntries(
      Object.keys(entries)
        .filter((n) => Object.hasOwn(kept[kind], n))
        .map((n) => [n, entries[n]]),
    );
  }
  return ordered;
}

/** A deep copy in which every description and summary links its requirement IDs. */
function withRequirementLinks(node: unknown, options: MarkdownOptions): unknown {
  if (Array.isArray(node)) return node.map((item) => withRequirementLinks(item, options));
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (DATA_KEYS.has(key)) out[key] = value;
    else if (MARKDOWN_KEYS.has(key) && typeof value === 'string')
      out[key] = linkRequirementsInMarkdown(value, options);
    else out[key] = withRequirementLinks(value, options);
  }
  return out;
}

/** The operations whose channel is `#/channels/<name>`. */
function operationsOf(operations: Json, name: string): Json {
  const ref = `#/channels/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  return Object.fromEntries(
    Object.entries(operations).filter(
      ([, operation]) => isObject(operation) && isObject(operation.channel) && operation.channel.$ref === ref,
    ),
  );
}

export function channelDocuments(bundled: BundledDocument, links: MarkdownOptions): ChannelDocument[] {
  const channels = isObject(bundled.channels) ? bundled.channels : {};
  const operations = isObject(bundled.operations) ? bundled.operations : {};
  const components = isObject(bundled.components) ? bundled.components : {};
  return Object.entries(channels).map(([name, channel]) => {
    const channelJson = isObject(channel) ? channel : {};
    const own = operationsOf(operations, name);
    const kept = { ...bundled, channels: { [name]: channelJson }, operations: own };
    delete (kept as Json).components;
    const reached = reachableComponents(components, [kept]);
    const document = withRequirementLinks(
      Object.keys(reached).length > 0 ? { ...kept, components: reached } : kept,
      links,
    ) as BundledDocument;
    const tags = Array.isArray(channelJson.tags)
      ? channelJson.tags.flatMap((tag) => (isObject(tag) && typeof tag.name === 'string' ? [tag.name] : []))
      : [];
    return {
      name,
      address: typeof channelJson.address === 'string' ? channelJson.address : name,
      title: typeof channelJson.title === 'string' ? channelJson.title : undefined,
      summary: typeof channelJson.summary === 'string' ? channelJson.summary : undefined,
      description: typeof channelJson.description === 'string' ? channelJson.description : undefined,
      tags,
      document,
    };
  });
}
