import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/conformance/reporters/html.js';
import { renderJson } from '../../src/conformance/reporters/json.js';
import { renderJunit } from '../../src/conformance/reporters/junit.js';
import { checkLine, renderPretty } from '../../src/conformance/reporters/pretty.js';
import { HOSTILE_TEXT, sampleReport } from './support/sample-report.js';
import { xmlProblems } from './support/xml-wellformed.js';

const schema = JSON.parse(
  fs.readFileSync(new URL('../../src/conformance/reporters/report.schema.json', import.meta.url), 'utf8'),
);

describe('json reporter', () => {
  it('writes a report that validates against report.schema.json', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajvFormats.default(ajv);
    const validate = ajv.compile(schema);
    const valid = validate(JSON.parse(renderJson(sampleReport())));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });
});

describe('junit reporter', () => {
  const xml = renderJunit(sampleReport());

  it('writes well-formed XML with one testsuite per area and counts per outcome', () => {
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toContain(
      '<testsuites name="tidewire-conformance ws://127.0.0.1:1234" tests="6" failures="1" errors="1" skipped="2"',
    );
    expect(xml).toMatch(/<testsuite name="heartbeat" tests="3" failures="1" errors="0" skipped="0"/);
    expect(xml).toMatch(/<testsuite name="auth" tests="3" failures="0" errors="1" skipped="2"/);
    expect(xml).toContain('<skipped message="expected failure (baseline): message of AUTH-003"/>');
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    expect(xml).not.toContain('<script>');
    expect(xml).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quotes&apos; ]]&gt;',
    );
  });
});

describe('html reporter', () => {
  const html = renderHtml(sampleReport(), { docsBase: 'https://example.org/protocol.html' });

  it('is one self-contained page with no external assets', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(html).not.toMatch(/\b(src|srcset)=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
  });

  it('escapes server text and links each requirement to its section of the spec', () => {
    expect(html).not.toContain(HOSTILE_TEXT);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(html).toContain('<a href="https://example.org/protocol.html#HB-002">spec</a>');
    expect(html).toContain('The server does what HB-002 says.');
  });

  it('refuses a docs base that is not a relative or http(s) link', () => {
    expect(renderHtml(sampleReport(), { docsBase: 'javascript:alert(1)' })).toContain(
      'href="docs/protocol.md#HB-002"',
    );
  });
});

describe('pretty reporter', () => {
  it('lists every check and details failures with requirement, expected, actual and frames', () => {
    const text = renderPretty(sampleReport(), { color: false, verbose: false });
    expect(text).toContain('✗ HB-002    title of HB-002 12 ms — expected close, got:');
    expect(text).toContain('  requirement: The server does what HB-002 says.');
    expect(text).toContain('  expected:    close 4408');
    expect(text).toContain('      3.2 ms #1  ← text   <script>alert("x")</script> & \'quotes\' ]]> \\x01');
    expect(text).toContain('passed though listed as expected failures (remove from the baseline): HB-001');
    expect(text).not.toContain('\u001b[');
    expect(text).not.toContain('\u0001');
  });

  it('colours outcomes only when asked', () => {
    const [pass] = sampleReport().checks;
    expect(checkLine(pass, { color: true, verbose: false })).toContain('\u001b[32m✓\u001b[0m');
  });
});
