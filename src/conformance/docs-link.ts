/**
 * Where reports link a requirement ID: `<docs base>#HB-003`. By default the normative text rendered as
 * HTML inside the installed package (or this repository), as an absolute `file://` URL: it works from a
 * report written in any folder, offline, and shows the text of the very version that judged the server.
 * A report opened on another machine (a CI artifact) needs a copy it can reach: `--docs-base
 * https://…/protocol.html` (a published copy) replaces the default.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from './version.js';

/** The protocol page with an anchor per requirement ID, relative to the package folder: repoint it here. */
export const PROTOCOL_PAGE = 'generated/docs/protocol.html';
/** The normative text itself, linked while the page is absent (it opens, without scrolling to the ID). */
const PROTOCOL_TEXT = 'docs/protocol.md';

function defaultDocsBase(): string {
  const root = packageRoot() ?? process.cwd();
  const existing = [PROTOCOL_PAGE, PROTOCOL_TEXT]
    .map((relative) => path.join(root, relative))
    .find((file) => fs.existsSync(file));
  return pathToFileURL(existing ?? path.join(root, PROTOCOL_PAGE)).href;
}

/** The default link base of every report, decided once when the runner loads. */
export const DEFAULT_DOCS_BASE: string = defaultDocsBase();

/** The link of a requirement ID, or undefined for results that are not a requirement (`REQUIRE-CHAT`). */
export function requirementLink(id: string, docsBase: string = DEFAULT_DOCS_BASE): string | undefined {
  return id.startsWith('REQUIRE-') ? undefined : `${docsBase}#${id}`;
}
