/**
 * The catalogue: every client example of sources 001, 003 and 004, and the code blocks of those sources
 * that are not client code, with the reason. A block in neither fails the catalogue's test, so a block
 * added to a source is noticed.
 */
import type { Example } from '../support/harness.js';
import type { SourceId } from '../support/seed-source.js';
import { SOURCE_001 } from './source-001.js';
import { SOURCE_003 } from './source-003.js';
import { SOURCE_004 } from './source-004.js';

export const EXAMPLES: readonly Example[] = [...SOURCE_001, ...SOURCE_003, ...SOURCE_004];

/** Fence languages of blocks that hold message shapes, URLs, lists or logs rather than code. */
export const NOT_CODE_LANGUAGES: readonly string[] = ['', 'json'];

export const NOT_CLIENT_CODE: ReadonlyArray<{
  source: SourceId;
  heading: string;
  block: number;
  reason: string;
}> = [
  {
    source: '004',
    heading: '### 1. بدون Docker',
    block: 1,
    reason: 'shell commands that install and start the server',
  },
  { source: '004', heading: '### 2. با Docker', block: 1, reason: "the server's Dockerfile" },
  {
    source: '004',
    heading: '### 2. با Docker',
    block: 2,
    reason: 'shell commands that build and run the server image',
  },
  { source: '004', heading: '### 3. HuggingFace Space', block: 1, reason: "the server's app.py" },
  {
    source: '004',
    heading: '### مشکل 1: اتصال برقرار نمی\u200cشود',
    block: 1,
    reason: 'shell diagnostics of the server host (curl, netstat, lsof, tail)',
  },
  { source: '004', heading: '### لاگ سرور', block: 1, reason: "the server's logging" },
];
