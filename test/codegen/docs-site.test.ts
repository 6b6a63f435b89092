/**
 * The links of the generated docs (generated/docs/, written by `npm run generate`): reports point at the
 * protocol page, which has an anchor for every requirement ID, and no page links to an anchor that does
 * not exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DOCS_BASE } from '../../src/conformance/docs-link.js';
import { readRequirements } from '../../src/protocol/requirements.js';
import { REPO_ROOT } from './support/generate-cli.js';

const DOCS = path.join(REPO_ROOT, 'generated/docs');
const pages = fs.readdirSync(DOCS).filter((name) => name.endsWith('.html'));
const html = (page: string) => fs.readFileSync(path.join(DOCS, page), 'utf8');
const idsOf = (text: string) => new Set([...text.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
const protocolIds = idsOf(html('protocol.html'));

describe('generated docs links', () => {
  it('give every requirement an anchor on the page reports link to', () => {
    expect(DEFAULT_DOCS_BASE).toBe(pathToFileURL(path.join(DOCS, 'protocol.html')).href);
    const missing = readRequirements()
      .map((r) => r.id)
      .filter((id) => !protocolIds.has(id));
    expect(missing).toEqual([]);
  });

  it.each(pages)('%s links only to pages and anchors that exist', (page) => {
    const broken: string[] = [];
    const ownIds = idsOf(html(page));
    for (const [, target] of html(page).matchAll(/\shref="([^"]+)"/g)) {
      if (/^[a-z]+:/i.test(target)) continue;
      const [file, anchor] = target.split('#');
      const targetPage = file === '' ? page : file;
      const exists = fs.existsSync(path.join(DOCS, targetPage));
      if (!exists) broken.push(target);
      else if (anchor && targetPage === 'protocol.html' && !protocolIds.has(decodeURIComponent(anchor)))
        broken.push(target);
      else if (anchor && targetPage === page && !ownIds.has(decodeURIComponent(anchor))) broken.push(target);
    }
    expect(broken).toEqual([]);
  });
});
