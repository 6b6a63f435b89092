/**
 * RFC 3339 date-time checks fast enough to run on every received frame: the schemas' `date-time`
 * format (registered on ajv in place of ajv-formats' version) and the conformance runner's ENV-003 check.
 * They read characters in place (no split, no regex captures, no `Date`), and import nothing, so the
 * generated validator can use them in browsers too.
 */

// Character codes.
const DIGIT_0 = 48;
const HYPHEN = 45;
const COLON = 58;
const DOT = 46;
const PLUS = 43;
const UPPER_T = 84;
const LOWER_T = 116;
const UPPER_Z = 90;
const LOWER_Z = 122;

/** `\s` of a JavaScript regular expression: ajv-formats accepts any of them between date and time. */
const WHITESPACE = /\s/;

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The value of two ASCII digits at `at`, or -1 when either is not a digit. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - DIGIT_0;
  const ones = text.charCodeAt(at + 1) - DIGIT_0;
  // charCodeAt past the end is NaN, which fails both comparisons.
  if (!(tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9)) return -1;
  return tens * 10 + ones;
}

/** `YYYY-MM-DD` at the start of `text`, a real calendar date (RFC 3339 §5.6 full-date, §5.7). */
function isFullDate(text: string): boolean {
  const century = twoDigits(text, 0);
  const yearInCentury = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (century < 0 || yearInCentury < 0 || month < 1 || month > 12 || day < 1) return false;
  if (text.charCodeAt(4) !== HYPHEN || text.charCodeAt(7) !== HYPHEN) return false;
  if (day <= DAYS_IN_MONTH[month]) return true;
  // 29 February of a leap year (RFC 3339 appendix C).
  const year = century * 100 + yearInCentury;
  return month === 2 && day === 29 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/**
 * `HH:MM:SS[.frac]` at `at`, then a zone designator (`Z`, `z`, `+HH`, `+HHMM`, `+HH:MM` or the same
 * with `-`), to the end of `text`: ajv-formats' full `time` with a required zone. Seconds 60 only
 * at a leap second (23:59 UTC).
 */
function isTimeWithZone(text: string, at: number): boolean {
  const hour = twoDigits(text, at);
  const minute = twoDigits(text, at + 3);
  const second = twoDigits(text, at + 6);
  if (hour < 0 || minute < 0 || second < 0) return false;
  if (text.charCodeAt(at + 2) !== COLON || text.charCodeAt(at + 5) !== COLON) return false;
  let i = at + 8;
  const length = text.length;
  if (text.charCodeAt(i) === DOT) {
    const start = ++i;
    while (i < length) {
      const digit = text.charCodeAt(i) - DIGIT_0;
      if (digit < 0 || digit > 9) break;
      i++;
    }
    if (i === start) return false;
  }
  const zone = text.charCodeAt(i);
  let sign = 0;
  let zoneHours = 0;
  let zoneMinutes = 0;
  if (zone === UPPER_Z || zone === LOWER_Z) {
    if (i + 1 !== length) return false;
  } else if (zone === PLUS || zone === HYPHEN) {
    sign = zone === HYPHEN ? -1 : 1;
    zoneHours = twoDigits(text, i + 1);
    if (zoneHours < 0) return false;
    const rest = length - (i + 3);
    if (rest === 2) {
      zoneMinutes = twoDigits(text, i + 3);
    } else if (rest === 3 && text.charCodeAt(i + 3) === COLON) {
      zoneMinutes = twoDigits(text, i + 4);
    } else if (rest !== 0) {
      return false;
    }
    if (zoneMinutes < 0 || zoneHours > 23 || zoneMinutes > 59) return false;
  } else {
    return false;
  }
  if (hour <= 23 && minute <= 59 && second <= 59) return true;
  // A leap second: 60 (with any fraction) when the time is 23:59 in UTC.
  const utcMinute = minute - zoneMinutes * sign;
  const utcHour = hour - zoneHours * sign - (utcMinute < 0 ? 1 : 0);
  return (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second <= 60;
}

/**
 * The JSON Schema `date-time` format: an RFC 3339 date-time (§5.6), exactly what ajv-formats' full
 * `date-time` accepts — a real calendar date, `T`, `t` or a space between date and time, hours 00–23,
 * a leap second only at 23:59 UTC, a required zone (`Z`, `z` or an offset).
 */
export function isDateTime(text: string): boolean {
  if (text.length < 20 || !isFullDate(text)) return false;
  const separator = text.charCodeAt(10);
  if (separator !== UPPER_T && separator !== LOWER_T && !WHITESPACE.test(text[10])) return false;
  return isTimeWithZone(text, 11);
}

/**
 * ENV-003: an RFC 3339 date-time in UTC as servers write it (`new Date().toISOString()`):
 * `YYYY-MM-DDTHH:MM:SS[.frac]Z` with an upper-case `T` and `Z`, and a valid date and time.
 */
export function isRfc3339Utc(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    value.charCodeAt(10) === UPPER_T &&
    value.charCodeAt(value.length - 1) === UPPER_Z &&
    isDateTime(value)
  );
}
