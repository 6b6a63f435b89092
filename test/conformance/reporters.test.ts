import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as exported from '../../src/conformance/api.js';
import { DEFAULT_DOCS_BASE } from '../../src/conformance/docs-link.js';
import { renderHtml } from '../../src/conformance/reporters/html.js';
import { REPORTER_NAMES } from '../../src/conformance/reporters/index.js';
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

  it('links every requirement to its text', () => {
    const report = sampleReport();
    report.checks.push({ ...report.checks[1], id: 'REQUIRE-CHAT' });
    const checks = JSON.parse(renderJson(report, { docsBase: 'https://example.org/p.html' })).checks;
    expect(checks[1].spec).toBe('https://example.org/p.html#HB-002');
    expect(checks.at(-1)).not.toHaveProperty('spec');
    expect(JSON.parse(renderJson(sampleReport())).checks[0].spec).toBe(`${DEFAULT_DOCS_BASE}#HB-001`);
  });
});

describe('junit reporter', () => {
  const xml = renderJunit(sampleReport());

  it('writes well-formed XML with one testsuite per area and counts per outcome', () => {
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml).toContain(
      '<testsuites name="tidewire-conformance ws://127.0.0.1:1234" tests="8" failures="1" errors="1" skipped="4"',
    );
    expect(xml).toMatch(/<testsuite name="heartbeat" tests="4" failures="1" errors="0" skipped="1"/);
    expect(xml).toMatch(/<testsuite name="auth" tests="4" failures="0" errors="1" skipped="3"/);
    expect(xml).toContain('<skipped message="expected failure (baseline): message of AUTH-003"/>');
  });

  it('skips what was not judged: blocked and cancelled checks', () => {
    expect(xml).toContain('<skipped message="blocked: blocked by HB-001: no ping arrived on /ws/news"/>');
    expect(xml).toContain(
      '<skipped message="cancelled: the run was interrupted (SIGINT) after 12 ms of this check"/>',
    );
  });

  it('links the requirement and counts repeated frames once in a failure', () => {
    const failure = /<failure [^>]*>([^<]*)<\/failure>/.exec(xml)?.[1] ?? '';
    expect(failure).toContain(`spec: ${DEFAULT_DOCS_BASE}#HB-002`);
    expect(failure.match(/get_all/g)).toHaveLength(1);
    expect(failure).toMatch(/get_all&quot;\} × 20\n/);
    expect(failure).toContain('× 3 (seq 7–9; timestamp differs)');
  });

  it('escapes markup and drops characters XML cannot carry', () => {
    expect(xml).not.toContain('<script>');
    expect(xml).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quotes&apos; ]]&gt;',
    );
  });
});

describe('the reporters exported from tidewire/conformance', () => {
  it('render every format from a report read back from JSON', () => {
    const report = JSON.parse(renderJson(sampleReport()));
    const rendered = Object.fromEntries(
      REPORTER_NAMES.map((name) => [
        name,
        exported.renderReport(name, report, { docsBase: 'https://x.test/p' }),
      ]),
    );
    expect(rendered.pretty).toContain('✗ HB-002');
    expect(JSON.parse(rendered.json).checks).toHaveLength(8);
    expect(xmlProblems(rendered.junit)).toEqual([]);
    expect(rendered.html).toContain('<a href="https://x.test/p#HB-002">spec</a>');
    expect(exported.renderJunit(report)).toBe(renderJunit(report));
    expect(exported.renderHtml(report)).toBe(renderHtml(report));
    expect(exported.renderPretty(report, { color: false, verbose: false })).toContain('HB-002');
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

  it('refuses a docs base that is not a relative, http(s) or file link', () => {
    expect(renderHtml(sampleReport(), { docsBase: 'javascript:alert(1)' })).toContain(
      `href="${DEFAULT_DOCS_BASE}#HB-002"`,
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
