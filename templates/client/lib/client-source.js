/**
 * Source text of the generated clients; the generator bundles this module into the template.
 */

const COMMAND = 'npm run generate';

function pascalCase(name) {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

function constantCase(name) {
  return name.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

function banner(sourceName, summary, moduleName) {
  return [
    '/**',
    ` * Generated from ${sourceName} by \`${COMMAND}\`. Do not edit: change the spec and regenerate.`,
    ` * ${summary}`,
    ...(moduleName ? [' *', ` * @module ${moduleName}`] : []),
    ' */',
    '',
  ].join('\n');
}

function comment(text) {
  return text.replace(/\*\//g, '*\\/');
}

/** The `type` constants of the client→server messages of a channel, in document order. */
function clientTypes(channel) {
  const types = [];
  for (const message of channel.messages().all()) {
    const payload = message.payload() ? message.payload().json() : undefined;
    const id = payload && typeof payload.$id === 'string' ? payload.$id : '';
    const type =
      payload && payload.properties && payload.properties.type ? payload.properties.type.const : undefined;
    // The $id names the schema file from its folder's parent: `../client/<type>.json`.
    if (/(?:^|\/)client\/[^/]+\.json$/.test(id) && typeof type === 'string') types.push(type);
  }
  return types;
}

function hasRequiredQuery(channel) {
  const binding = channel.bindings().get('ws');
  const query = binding ? binding.value().query : undefined;
  const runtimeParams = ['token', 'resume', 'lastSeq'];
  return Boolean(
    query && Array.isArray(query.required) && query.required.some((n) => !runtimeParams.includes(n)),
  );
}

function clientSource(channel, params) {
  const name = channel.id();
  const pascal = pascalCase(name);
  const address = channel.address();
  const constant = `${constantCase(name)}_ENDPOINT`;
  const description = channel.description() || '';
  const types = clientTypes(channel);
  const queryField = hasRequiredQuery(channel) ? 'query' : 'query?';
  return [
    banner(params.sourceName, `Typed client of the \`${name}\` endpoint (${address}).`),
    `import { SUBSCRIPTION_RULES, TidewireClient, type ClientOptions, type EndpointDescriptor } from '${params.runtimeImport}';`,
    `import type { ${pascal}ClientMessage, ${pascal}Query, ${pascal}ServerMessage } from '${params.typesImport}';`,
    '',
    `/** The \`${name}\` endpoint: its path, and which of its requests are subscriptions (re-sent after a fresh session). */`,
    `export const ${constant}: EndpointDescriptor = {`,
    `  name: ${JSON.stringify(name)},`,
    `  path: ${JSON.stringify(address)},`,
    `  subscriptions: SUBSCRIPTION_RULES.filter((rule) => ${JSON.stringify(types)}.includes(rule.subscribe)),`,
    '};',
    '',
    `/** Options of {@link ${pascal}Client}: the runtime's options with the endpoint's typed scope parameters. */`,
    `export interface ${pascal}ClientOptions extends Omit<ClientOptions, 'query'> {`,
    `  ${queryField}: ${pascal}Query;`,
    '}',
    '',
    '/**',
    ` * Client of \`${address}\`. ${comment(description)}`,
    ' *',
    ` * \`on(type, handler)\` narrows the handler's message by \`type\`; \`send\` and \`request\` accept only`,
    ` * the messages this endpoint defines.`,
    ' */',
    `export class ${pascal}Client extends TidewireClient<${pascal}ServerMessage, ${pascal}ClientMessage> {`,
    `  constructor(options: ${pascal}ClientOptions) {`,
    `    super(${constant}, options);`,
    '  }',
    '}',
    '',
  ].join('\n');
}

function indexSource(channels, params) {
  return [
    banner(params.sourceName, 'Every endpoint client, and the runtime they are built on.', params.moduleName),
    `export * from '${params.runtimeImport}';`,
    ...channels.map((channel) => `export * from './${pascalCase(channel.id())}Client.js';`),
    '',
  ].join('\n');
}

/** Every file of the template's output: `{ name, content }`, in document order. */
export function clientFiles(asyncapi, params) {
  const channels = asyncapi.channels().all();
  return [
    ...channels.map((channel) => ({
      name: `${pascalCase(channel.id())}Client.ts`,
      content: clientSource(channel, params),
    })),
    { name: 'index.ts', content: indexSource(channels, params) },
  ];
}
