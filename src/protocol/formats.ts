/**
 * The string formats every Tidewire ajv instance uses: ajv-formats' full formats, with `date-time`
 * checked by `isDateTime` (the same strings accepted, several times faster: every message carries
 * one or two timestamps). Shared by the schema registry and the generated validator; no Node imports.
 */
import type { Ajv, FormatDefinition } from 'ajv';
import ajvFormats from 'ajv-formats';
import { isDateTime } from './date-time.js';

export function addFormats(ajv: Ajv): Ajv {
  ajvFormats.default(ajv);
  // Keep ajv-formats' comparison, used by the formatMinimum/formatMaximum keywords.
  const full = ajvFormats.default.get('date-time') as FormatDefinition<string>;
  return ajv.addFormat('date-time', { type: 'string', validate: isDateTime, compare: full.compare });
}
