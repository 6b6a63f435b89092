import type { Bus } from '../bus.js';
import type { Leases } from '../leases.js';
import { whenReady, type MaybePromise } from '../maybe-promise.js';
import { BaseCadenceMs, scaledMs } from './cadence.js';
import { Feed, type DeliveryListener } from './feed.js';
import { streamFor, type Random } from './random.js';
import { repeatEvery, type Scheduler } from './scheduler.js';

export interface Notification {
  id: number;
  title: string;
  body: string;
  kind: string;
  read: boolean;
  createdAt: string;
}

/** Notifications kept per user; older ones are dropped. */
export const NOTIFICATIONS_KEPT_PER_USER = 50;

const TEMPLATES: ReadonlyArray<{ kind: string; title: string; body: string }> = [
  { kind: 'message', title: 'New message', body: 'A customer replied to your conversation.' },
  { kind: 'project', title: 'Project updated', body: 'A project you follow changed status.' },
  { kind: 'campaign', title: 'Campaign finished', body: 'Your campaign has completed; the report is ready.' },
  { kind: 'mention', title: 'You were mentioned', body: 'Someone mentioned you in a project comment.' },
  { kind: 'system', title: 'Scheduled maintenance', body: 'Maintenance is planned for Sunday 02:00 UTC.' },
];

/** A notification before it is numbered. */
export type NewNotification = Omit<Notification, 'id'>;

/** Where notifications are kept: in this process, or shared by the instances of a deployment. */
export interface NotificationStore {
  /** Numbers and keeps a new notification of `userId` (the last NOTIFICATIONS_KEPT_PER_USER are kept). */
  add(userId: string, notification: NewNotification): MaybePromise<Notification>;
  /** Marks one read: the notification and whether it was unread, or undefined when the user has no such one. */
  markRead(
    userId: string,
    notificationId: number | string,
  ): MaybePromise<{ notification: Notification; changed: boolean } | undefined>;
}

export class InMemoryNotifications implements NotificationStore {
  private readonly byUser = new Map<string, Notification[]>();
  private nextId = 1;

  add(userId: string, fields: NewNotification): Notification {
    const notification: Notification = { id: this.nextId++, ...fields };
    let kept = this.byUser.get(userId);
    if (!kept) {
      kept = [];
      this.byUser.set(userId, kept);
    }
    kept.push(notification);
    if (kept.length > NOTIFICATIONS_KEPT_PER_USER) kept.shift();
    return notification;
  }

  markRead(userId: string, notificationId: number | string) {
    const notification = this.byUser.get(userId)?.find((n) => String(n.id) === String(notificationId));
    if (!notification) return undefined;
    const changed = !notification.read;
    notification.read = true;
    return { notification, changed };
  }
}

/** Per-user notifications: while a user follows them, a new one arrives every so often. */
export class NotificationSource {
  private readonly random: Random;
  private readonly feed: Feed<string>;

  constructor(
    bus: Bus,
    private readonly scheduler: Scheduler,
    seed: number,
    speed: number,
    private readonly store: NotificationStore = new InMemoryNotifications(),
    leases?: Leases,
  ) {
    this.random = streamFor(seed, 'notifications');
    const intervalMs = scaledMs(BaseCadenceMs.notification, speed);
    this.feed = new Feed(
      bus,
      (userId) => `notifications:user:${userId}`,
      (userId) => {
        return repeatEvery(this.scheduler, intervalMs, () => void this.create(userId));
      },
      leases,
    );
  }

  subscribe(userId: string, listener: DeliveryListener): () => void {
    return this.feed.subscribe(userId, listener);
  }

  /**
   * Marks one of the user's notifications read and tells the user's sessions; undefined if it is not theirs.
   * A store in memory answers at once, and the sessions hear of it before the request's next message is
   * handled (a client that marks a notification read and then unsubscribes still gets the update).
   */
  markRead(userId: string, notificationId: number | string): MaybePromise<Notification | undefined> {
    return whenReady(this.store.markRead(userId, notificationId), (marked) =>
      this.announceRead(userId, marked),
    );
  }

  private announceRead(
    userId: string,
    marked: { notification: Notification; changed: boolean } | undefined,
  ): Notification | undefined {
    if (!marked) return undefined;
    const { notification, changed } = marked;
    if (changed)
      this.feed.publish(userId, { type: 'notification_updated', notification: { ...notification } });
    return notification;
  }

  get running(): number {
    return this.feed.running;
  }

  stop(): void {
    this.feed.stop();
  }

  private async create(userId: string): Promise<void> {
    const template = this.random.pick(TEMPLATES);
    const createdAt = new Date(this.scheduler.now()).toISOString();
    let notification: Notification;
    try {
      notification = await this.store.add(userId, { ...template, read: false, createdAt });
    } catch {
      // Not kept, so not announced either; the next one comes at the next period.
      return;
    }
    this.feed.publish(userId, { type: 'notification_new', notification: { ...notification } });
  }
}
