/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Typed client of the `projects` endpoint (/ws/projects/).
 */

import {
  SUBSCRIPTION_RULES,
  TidewireClient,
  type ClientOptions,
  type EndpointDescriptor,
} from '../../src/client/index.js';
import type { ProjectsClientMessage, ProjectsQuery, ProjectsServerMessage } from '../types/index.js';

/** The `projects` endpoint: its path, and which of its requests are subscriptions (re-sent after a fresh session). */
export const PROJECTS_ENDPOINT: EndpointDescriptor = {
  name: 'projects',
  path: '/ws/projects/',
  subscriptions: SUBSCRIPTION_RULES.filter((rule) =>
    [
      'ping',
      'pong',
      'project_join',
      'project_leave',
      'project_status_update',
      'project_progress',
      'project_comment',
    ].includes(rule.subscribe),
  ),
};

/** Options of {@link ProjectsClient}: the runtime's options with the endpoint's typed scope parameters. */
export interface ProjectsClientOptions extends Omit<ClientOptions, 'query'> {
  query?: ProjectsQuery;
}

/**
 * Client of `/ws/projects/`. Customer chat, conversations, customers, notifications and project rooms (sources 002 and 003). Application pings here are JSON `{"type":"ping"}`/`{"type":"pong"}`. Data messages: `project_joined`, `project_left`, `project_update`, `user_joined`, `user_left`. A token is always required here.
 *
 * `on(type, handler)` narrows the handler's message by `type`; `send` and `request` accept only
 * the messages this endpoint defines.
 */
export class ProjectsClient extends TidewireClient<ProjectsServerMessage, ProjectsClientMessage> {
  constructor(options: ProjectsClientOptions) {
    super(PROJECTS_ENDPOINT, options);
  }
}
