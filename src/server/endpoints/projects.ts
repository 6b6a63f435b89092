import { ErrorCode } from '../../protocol/constants.js';
import {
  RequestError,
  type EndpointHandler,
  type IncomingRequest,
  type OutgoingData,
  type SessionContext,
} from '../endpoint-handler.js';
import { idField, requestType, unknownType } from './scope.js';
import {
  deliverTo,
  endSession,
  follow,
  isEnded,
  subscriptionsOf,
  type Follow,
} from './session-subscriptions.js';
import type { SimulationSources } from './simulation-sources.js';

/**
 * `/ws/projects/` (seed 002): project rooms, open to every user. Joining confirms with `project_joined` and
 * tells the others `user_joined`; status, progress and comments go to every member as `project_update`.
 */
const ROOM_PREFIX = 'project:';

export function projectsHandler({
  chat,
  projectRooms,
}: SimulationSources): EndpointHandler & { follow: Follow } {
  const roomKey = (projectId: number) => `${ROOM_PREFIX}${projectId}`;
  const followRoom: Follow = (session, key) => {
    const projectId = Number(key.slice(ROOM_PREFIX.length));
    return key.startsWith(ROOM_PREFIX) && chat.projectExists(projectId)
      ? projectRooms.subscribe(projectId, deliverTo(session))
      : undefined;
  };

  function existingProject(request: IncomingRequest): number {
    const projectId = idField(request, 'projectId');
    if (!chat.projectExists(projectId)) {
      throw new RequestError(ErrorCode.NOT_FOUND, `project ${projectId} does not exist`);
    }
    return projectId;
  }

  function leave(session: SessionContext, projectId: number): boolean {
    if (!subscriptionsOf(session).remove(roomKey(projectId))) return false;
    projectRooms.publish(
      projectId,
      { type: 'user_left', userId: session.userId, projectId },
      session.sessionId,
    );
    return true;
  }

  /** To every member, and to the author directly when it updates a project it has not joined. */
  function update(session: SessionContext, projectId: number, kind: string, data: Record<string, unknown>) {
    const message: OutgoingData = { type: 'project_update', projectId, kind, userId: session.userId, data };
    projectRooms.publish(projectId, message);
    if (!subscriptionsOf(session).has(roomKey(projectId)) && !isEnded(session)) session.emit(message);
    return undefined;
  }

  const optional = (request: IncomingRequest, field: string) =>
    request[field] === undefined ? {} : { [field]: request[field] };

  return {
    follow: followRoom,

    open() {
      // Nothing to follow until the client joins a project.
    },

    handle(session, request) {
      switch (requestType(request)) {
        case 'project_join': {
          const projectId = existingProject(request);
          const joined = follow(session, roomKey(projectId), followRoom);
          session.emit({ type: 'project_joined', projectId });
          if (joined) {
            projectRooms.publish(
              projectId,
              { type: 'user_joined', userId: session.userId, projectId },
              session.sessionId,
            );
          }
          return { projectId };
        }
        case 'project_leave': {
          const projectId = existingProject(request);
          leave(session, projectId);
          session.emit({ type: 'project_left', projectId });
          return { projectId };
        }
        case 'project_status_update':
          return update(session, existingProject(request), 'status', {
            status: request.status,
            ...optional(request, 'updatedBy'),
          });
        case 'project_progress':
          return update(session, existingProject(request), 'progress', {
            progress: request.progress,
            ...optional(request, 'milestone'),
          });
        case 'project_comment':
          return update(session, existingProject(request), 'comment', {
            comment: request.comment,
            ...optional(request, 'attachments'),
          });
        default:
          throw unknownType(request, session.endpoint);
      }
    },

    close(session) {
      for (const key of subscriptionsOf(session).keys()) {
        if (key.startsWith(ROOM_PREFIX)) leave(session, Number(key.slice(ROOM_PREFIX.length)));
      }
      endSession(session);
    },
  };
}
