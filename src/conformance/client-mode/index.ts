/**
 * The runner's client mode: scripted endpoints that check a client's reconnect behaviour (CR-001..CR-010).
 */
export { CLIENT_CHECKS } from './checks.js';
export { runClientModeCli, CLIENT_MODE_HELP, type ClientModeIo } from './cli.js';
export { renderClientReportJson, renderClientReportText } from './client-report.js';
export { announcedClient, commandClient, type CommandClientOptions } from './command-client.js';
export { ClientModeUsageError, runClientConformance, selectClientChecks } from './runner.js';
export {
  ScriptedServer,
  ScriptedScenario,
  type ConnectionEnd,
  type ConnectionRecord,
  type ConnectionStep,
  type ScriptedServerOptions,
} from './scripted-server.js';
export type {
  ClientCheck,
  ClientCheckContext,
  ClientCheckResult,
  ClientHandle,
  ClientRunOptions,
  ClientRunReport,
  ClientScenario,
  ScenarioRun,
  StartClient,
} from './types.js';
