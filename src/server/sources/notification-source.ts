import type { Bus } from '../bus.js';
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

/** Per-user notifications: while a user follows them, a new one arrives every so often. */
export class NotificationSource {
  private readonly byUser = new Map<string, Notification[]>();
  private readonly random: Random;
  private readonly feed: Feed<string>;
  private nextId = 1;

  constructor(
    bus: Bus,
    private readonly scheduler: Scheduler,
    seed: number,
    speed: number,
  ) {
    this.random = streamFor(seed, 'notifications');
    const intervalMs = scaledMs(BaseCadenceMs.notification, speed);
    this.feed = new Feed(
      bus,
      (userId) => `notifications:user:${userId}`,
      (userId) => {
        return repeatEvery(this.scheduler, intervalMs, () => this.create(userId));
      },
    );
  }

  subscribe(userId: string, listener: DeliveryListener): () => void {
    return this.feed.subscribe(userId, listener);
  }

  /** Marks one of the user's notifications read and tells the user's sessions; undefined if it is not theirs. */
  markRead(userId: string, notificationId: number | string): Notification | undefined {
    const notification = this.byUser.get(userId)?.find((n) => String(n.id) === String(notificationId));
    if (!notification) return undefined;
    if (!notification.read) {
      notification.read = true;
      this.feed.publish(userId, { type: 'notification_updated', notification: { ...notification } });
    }
    return notification;
  }

  get running(): number {
    return this.feed.running;
  }

  stop(): void {
    this.feed.stop();
  }

  private create(userId: string): void {
    const template = this.random.pick(TEMPLATES);
    const notification: Notification = {
      id: this.nextId++,
      ...template,
      read: false,
      createdAt: new Date(this.scheduler.now()).toISOString(),
    };
    let kept = this.byUser.get(userId);
    if (!kept) {
      kept = [];
      this.byUser.set(userId, kept);
    }
    kept.push(notification);
    if (kept.length > NOTIFICATIONS_KEPT_PER_USER) kept.shift();
    this.feed.publish(userId, { type: 'notification_new', notification: { ...notification } });
  }
}
