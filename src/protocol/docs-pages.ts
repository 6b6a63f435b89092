/**
 * Where the generated docs put the normative text: `generated/docs/protocol.html`, rendered from
 * docs/protocol.md by `npm run generate` and shipped in the package. Every requirement has an anchor named
 * by its ID (`protocol.html#HB-003`), every heading one named by its GitHub slug (`#5-heartbeat`).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findAbove } from './find-above.js';

/** The docs folder, relative to the package root. */
export const DOCS_DIR = 'generated/docs';
/** The normative text's page, relative to the docs folder. */
export const PROTOCOL_PAGE = 'protocol.html';

/** The page's `file:` URL in this installation (repository or installed package); undefined when absent. */
export function protocolPageUrl(): string | undefined {
  const found = findAbove(path.join(DOCS_DIR, PROTOCOL_PAGE));
  return found === undefined ? undefined : pathToFileURL(found).href;
}

/** The link to one requirement: `<page>#HB-003`, on `page` (a URL or path) or on this installation's page. */
export function requirementUrl(id: string, page: string | undefined = protocolPageUrl()): string {
  return `${page ?? `${DOCS_DIR}/${PROTOCOL_PAGE}`}#${encodeURIComponent(id)}`;
}
