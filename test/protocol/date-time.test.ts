import { fullFormats } from 'ajv-formats/dist/formats.js';
import { describe, expect, it } from 'vitest';
import { createValidator } from '../../generated/validation/index.js';
import { isRfc3339Utc, textFrameViolations } from '../../src/conformance/envelope-validator.js';
import { isDateTime } from '../../src/protocol/date-time.js';
import { SchemaRegistry } from '../../src/protocol/schema-registry.js';

const registry = SchemaRegistry.shared();
/** ajv-formats' full `date-time`, which the schemas used before `isDateTime` replaced it. */
const fullDateTime = (fullFormats['date-time'] as { validate: (text: string) => boolean }).validate;

const INVALID = ['2024-13-45T25:61:00Z', 'not a date', '', 'yesterday', '2024-02-30T10:00:00Z'];

const EDGE_CASES = [
  // What servers send, and the other RFC 3339 forms.
  '2026-01-15T10:30:00.000Z',
  '2024-01-01T10:15:00Z',
  '2024-01-01T10:15:00.123456789Z',
  '2024-01-01t10:15:00z',
  '2024-01-01 10:15:00Z',
  '2024-01-01\t10:15:00Z',
  '2024-01-01\u00a010:15:00Z',
  '2024-01-01T10:15:00+02:00',
  '2024-01-01T10:15:00-0530',
  '2024-01-01T10:15:00+02',
  '2024-01-01T10:15:00+24:00',
  '2024-01-01T10:15:00+02:60',
  '2024-01-01T10:15:00+2:00',
  '2024-01-01T10:15:00+02:000',
  '2024-01-01T10:15:00',
  '2024-01-01T10:15:00ZZ',
  '2024-01-01T10:15:00.Z',
  '2024-01-01T10:15Z',
  '2024-01-01TT10:15:00Z',
  '2024-01-01T10:15:00Z ',
  ' 2024-01-01T10:15:00Z',
  '24-01-01T10:15:00Z',
  '20240-01-01T10:15:00Z',
  '２０２４-01-01T10:15:00Z',
  // Calendar: month and day ranges, leap years.
  '2024-00-10T00:00:00Z',
  '2024-12-31T23:59:59.999Z',
  '2024-04-31T00:00:00Z',
  '2024-02-29T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '1900-02-29T00:00:00Z',
  '0000-02-29T00:00:00Z',
  '2024-01-00T00:00:00Z',
  // Hours, minutes, leap seconds (only at 23:59 UTC).
  '2024-01-01T24:00:00Z',
  '2024-01-01T23:60:00Z',
  '2016-12-31T23:59:60Z',
  '2016-12-31T23:59:60.5Z',
  '2016-12-31T23:59:61Z',
  '2016-12-31T22:59:60Z',
  '2017-01-01T00:59:60+01:00',
  '2016-12-31T23:29:60-00:30',
  '2016-12-31T23:59:60+00:01',
  ...INVALID,
];

describe('the date-time format', () => {
  it('accepts exactly what ajv-formats full date-time accepts', () => {
    for (const text of EDGE_CASES) expect(isDateTime(text), JSON.stringify(text)).toBe(fullDateTime(text));
    // Every one-character change of a valid timestamp, too.
    const base = '2024-02-29T23:59:59.123+01:00';
    const alphabet = '0123456789-:.+TtZz x\u2028';
    for (let at = 0; at < base.length; at++) {
      for (const c of alphabet) {
        for (const text of [
          base.slice(0, at) + c + base.slice(at + 1),
          base.slice(0, at) + c + base.slice(at),
          base.slice(0, at) + base.slice(at + 1),
        ]) {
          expect(isDateTime(text), JSON.stringify(text)).toBe(fullDateTime(text));
        }
      }
    }
  });

  it('still makes the schemas reject invalid date-times, and accept offsets', () => {
    for (const timestamp of INVALID) {
      expect(registry.validate('market_data', 'server', { type: 'ping', timestamp })).toEqual({
        ok: false,
        issues: [{ path: '/timestamp', message: 'must match format "date-time"' }],
      });
      const price = { type: 'price_update', data: { symbol: 'BTC', price: 1, timestamp } };
      expect(registry.validate('market_data', 'server', price)).toMatchObject({
        ok: false,
        issues: [{ path: '/data/timestamp' }],
      });
    }
    const offset = { type: 'ping', timestamp: '2024-01-01T10:15:00+02:00' };
    expect(registry.validate('market_data', 'server', offset)).toEqual({ ok: true });
  });

  it('still makes the generated validator reject invalid date-times', () => {
    const validator = createValidator();
    for (const timestamp of INVALID) {
      expect(validator.validate('news', 'client', { type: 'ping', timestamp })).toMatchObject({
        ok: false,
        issues: [{ path: '/timestamp' }],
      });
    }
    const now = { type: 'ping', timestamp: new Date().toISOString() };
    expect(validator.validate('news', 'client', now)).toEqual({ ok: true });
  });
});

describe('the runner timestamp check (ENV-003)', () => {
  it('accepts RFC 3339 UTC with Z, as toISOString writes it', () => {
    for (const text of [new Date().toISOString(), '2024-01-01T10:15:00Z', '2024-02-29T00:00:00.5Z'])
      expect(isRfc3339Utc(text), text).toBe(true);
  });

  it('refuses invalid dates and times, other zones, lower case and non-strings', () => {
    for (const value of [
      ...INVALID,
      '2024-01-01T10:15:00+00:00',
      '2024-01-01t10:15:00Z',
      '2024-01-01T10:15:00z',
      '2024-01-01 10:15:00Z',
      '2024-01-01T24:00:00Z',
      undefined,
      1_704_103_200_000,
    ])
      expect(isRfc3339Utc(value), JSON.stringify(value)).toBe(false);
  });

  it('reports an invalid top-level timestamp under ENV-002 and ENV-003', () => {
    for (const timestamp of ['2024-13-45T25:61:00Z', 'not a date']) {
      const text = JSON.stringify({ type: 'ping', timestamp });
      const found = textFrameViolations(registry, 'news', text, JSON.parse(text));
      expect(found.map((f) => [f.requirement, f.path])).toEqual([
        ['ENV-002', '/timestamp'],
        ['ENV-003', '/timestamp'],
      ]);
    }
  });
});
