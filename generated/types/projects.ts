/**
 * Generated from asyncapi.yaml and schemas/ by `npm run generate`. Do not edit: change the spec and regenerate.
 * Message unions of the `projects` endpoint (/ws/projects/).
 */

import type {
  Ack,
  AuthenticationError,
  ClientPing,
  ClientPong,
  ConnectionEstablished,
  ProjectComment,
  ProjectJoin,
  ProjectJoined,
  ProjectLeave,
  ProjectLeft,
  ProjectProgress,
  ProjectStatusUpdate,
  ProjectUpdate,
  ResumeFailed,
  Resumed,
  ServerError,
  ServerPing,
  ServerPong,
  UserJoined,
  UserLeft,
} from './messages.js';

/** Every message the server sends on `/ws/projects/`, discriminated by `type`. */
export type ProjectsServerMessage =
  | ConnectionEstablished
  | AuthenticationError
  | ServerError
  | Ack
  | ServerPing
  | ServerPong
  | Resumed
  | ResumeFailed
  | ProjectJoined
  | ProjectLeft
  | ProjectUpdate
  | UserJoined
  | UserLeft;

/** Every message a client sends on `/ws/projects/`. */
export type ProjectsClientMessage =
  | ClientPing
  | ClientPong
  | ProjectJoin
  | ProjectLeave
  | ProjectStatusUpdate
  | ProjectProgress
  | ProjectComment;

/** Server messages of `/ws/projects/` by their `type`. */
export interface ProjectsServerMessages {
  connection_established: ConnectionEstablished;
  authentication_error: AuthenticationError;
  error: ServerError;
  ack: Ack;
  ping: ServerPing;
  pong: ServerPong;
  resumed: Resumed;
  resume_failed: ResumeFailed;
  project_joined: ProjectJoined;
  project_left: ProjectLeft;
  project_update: ProjectUpdate;
  user_joined: UserJoined;
  user_left: UserLeft;
}

/** Client messages of `/ws/projects/` by their `type`. */
export interface ProjectsClientMessages {
  ping: ClientPing;
  pong: ClientPong;
  project_join: ProjectJoin;
  project_leave: ProjectLeave;
  project_status_update: ProjectStatusUpdate;
  project_progress: ProjectProgress;
  project_comment: ProjectComment;
}

/** Scope query parameters of `/ws/projects/` (token, resume and lastSeq are managed by the client). */
export type ProjectsQuery = {};
