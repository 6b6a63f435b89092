import { ErrorCode } from '../../protocol/constants.js';
import {
  RequestError,
  type EndpointHandler,
  type IncomingRequest,
  type SessionContext,
} from '../endpoint-handler.js';
import { requestType, unknownType } from './scope.js';
import { deliverTo, endSession, follow, subscriptionsOf, type Follow } from './session-subscriptions.js';
import type { SimulationSources } from './simulation-sources.js';

const KEY = 'notifications';

/**
 * `/ws/notifications/` (seed 002): a session follows its user's notifications from the start (the seed's
 * server puts every socket in its user's room); unsubscribe and subscribe switch that off and on.
 */
export function notificationsHandler({
  notifications,
}: SimulationSources): EndpointHandler & { follow: Follow } {
  const followNotifications: Follow = (session, key) =>
    key === KEY ? notifications.subscribe(session.userId ?? '', deliverTo(session)) : undefined;
  const subscribe = (session: SessionContext) => follow(session, KEY, followNotifications);

  /** The seed's optional `userId` may only name the session's own user. */
  function checkUser(session: SessionContext, request: IncomingRequest): void {
    if (request.userId === undefined || request.userId === null) return;
    if (String(request.userId) !== session.userId) {
      throw new RequestError(ErrorCode.FORBIDDEN, "another user's notifications cannot be followed");
    }
  }

  return {
    follow: followNotifications,

    open(session) {
      subscribe(session);
    },

    async handle(session, request) {
      switch (requestType(request)) {
        case 'notifications_subscribe':
          checkUser(session, request);
          subscribe(session);
          return { subscribed: true };
        case 'notifications_unsubscribe':
          checkUser(session, request);
          subscriptionsOf(session).remove(KEY);
          return { subscribed: false };
        case 'notification_read': {
          const notificationId = request.notificationId as number | string;
          const notification = await notifications.markRead(session.userId ?? '', notificationId);
          if (!notification) {
            throw new RequestError(
              ErrorCode.NOT_FOUND,
              `notification ${String(notificationId)} does not exist`,
            );
          }
          return { notificationId: notification.id };
        }
        default:
          throw unknownType(request, session.endpoint);
      }
    },

    close: endSession,
  };
}
