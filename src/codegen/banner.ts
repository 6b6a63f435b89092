/** The header every generated file carries: what it was generated from, and with which command. */

export const GENERATE_COMMAND = 'npm run generate';

/**
 * A block comment for TypeScript files; `sourceName` is e.g. `asyncapi.yaml and schemas/`. An entry point
 * of the package names its module (`tidewire/types`), which is how the API reference titles it.
 */
export function banner(sourceName: string, summary: string, moduleName?: string): string {
  return [
    '/**',
    ` * Generated from ${sourceName} by \`${GENERATE_COMMAND}\`. Do not edit: change the spec and regenerate.`,
    ` * ${summary}`,
    ...(moduleName ? [' *', ` * @module ${moduleName}`] : []),
    ' */',
    '',
  ].join('\n');
}

/** The same notice as an HTML comment. */
export function htmlBanner(sourceName: string): string {
  return `<!-- Generated from ${sourceName} by \`${GENERATE_COMMAND}\`. Do not edit: change the spec and regenerate. -->`;
}
