import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/conformance/reporters/html.js';
import type { CheckResult } from '../../src/conformance/types.js';
import { sampleReport } from './support/sample-report.js';

const html = renderHtml(sampleReport(), { docsBase: 'https://example.org/protocol.html' });

/** The rows of the table at the top, as `ID outcome`. */
function tableRows(page: string): string[] {
  const table = /<table class="checks">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '';
  return [...table.matchAll(/<tr class="check[^"]*"><td><a href="#[^"]+">([^<]+)<\/a>.*?o-(\w+)/g)].map(
    ([, id, outcome]) => `${id} ${outcome}`,
  );
}

/** The section of one check, from its `<details>` to the end of it. */
function section(page: string, anchor: string): string {
  return new RegExp(`<details id="${anchor}"[\\s\\S]*?</details>`).exec(page)?.[0] ?? '';
}

describe('html report', () => {
  it('lists failures first, then errors, cancelled, warnings, blocked, expected failures, skips and passes', () => {
    expect(tableRows(html)).toEqual([
      'HB-002 fail',
      'AUTH-002 error',
      'AUTH-004 cancelled',
      'HB-003 warn',
      'HB-004 blocked',
      'AUTH-003 fail',
      'AUTH-001 skip',
      'HB-001 pass',
    ]);
    const sections = [...html.matchAll(/<details id="([^"]+)"/g)].map(([, id]) => id);
    expect(sections).toEqual(tableRows(html).map((row) => row.split(' ')[0]));
  });

  it('says in the table why each check is what it is', () => {
    const why = (id: string) =>
      new RegExp(`<a href="#${id}">${id}</a>.*?<td class="why">(.*?)</td>`).exec(html)?.[1];
    expect(why('AUTH-001')).toBe('no token to test auth with (give --token or --token-secret)');
    expect(why('HB-004')).toBe('blocked by <a href="#HB-001">HB-001</a>: no ping arrived on /ws/news');
    expect(why('HB-001')).toBe('pings 300 ms apart; a pong for each');
    expect(section(html, 'HB-004')).toContain('<td>blocked by</td><td><a href="#HB-001">HB-001</a></td>');
    expect(section(html, 'HB-001')).toContain(
      '<td>evidence</td><td><pre>pings 300 ms apart\na pong for each</pre>',
    );
  });

  it('offers a filter by outcome and by area that works without a script', () => {
    for (const outcome of ['fail', 'error', 'cancelled', 'warn', 'blocked', 'skip', 'pass']) {
      expect(html).toContain(`<input type="checkbox" id="show-out-${outcome}" checked>`);
      expect(html).toContain(
        `body:has(#show-out-${outcome}:not(:checked)) .check.out-${outcome}{display:none}`,
      );
    }
    for (const area of ['heartbeat', 'auth']) {
      expect(html).toContain(`body:has(#show-area-${area}:not(:checked)) .check.area-${area}{display:none}`);
    }
    expect(html).not.toContain('id="show-area-close"');
    expect(html).toMatch(/<details id="HB-002" class="check out-fail area-heartbeat" open>/);
  });

  it('indents JSON frames and shows repeated frames once with their count', () => {
    const frames = section(html, 'HB-002');
    expect(frames).toContain('<pre>{\n  &quot;type&quot;: &quot;get_all&quot;\n}</pre>');
    expect(frames.match(/get_all/g)).toHaveLength(1);
    expect(frames).toContain('<td>1.0–1.2 ms</td>');
    expect(frames).toContain('<span class="times">× 20</span>');
    expect(frames).toContain('<span class="times">× 3 (seq 7–9; timestamp differs)</span>');
    expect(frames.match(/prices_snapshot/g)).toHaveLength(1);
  });

  it('adds a table of repeats, flaky checks first, for a repeated run', () => {
    const run = (id: string, outcome: CheckResult['outcome'], iteration: number) => ({
      ...sampleReport().checks[0],
      id,
      outcome,
      iteration,
    });
    const report = sampleReport();
    report.checks = [
      run('HB-001', 'pass', 0),
      run('HB-002', 'pass', 0),
      run('HB-001', 'pass', 1),
      run('HB-002', 'fail', 1),
    ];
    const repeated = renderHtml(report);
    const repeats = /<table class="repeats">([\s\S]*?)<\/table>/.exec(repeated)?.[1] ?? '';
    expect(repeats.indexOf('HB-002')).toBeLessThan(repeats.indexOf('HB-001'));
    expect(repeats).toMatch(/HB-002<\/a><\/td><td>1\/2<\/td><td>fail 1<\/td><td><strong>flaky<\/strong>/);
    expect(html).not.toContain('class="repeats"');
  });
});
