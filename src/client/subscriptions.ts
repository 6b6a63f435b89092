/**
 * What a client has subscribed to, so that it can re-send it after a fresh session (CR-007). A resumed
 * session keeps its subscriptions on the server (RES-007), so nothing is re-sent then.
 */
import { LEGACY_ACTIONS } from '../protocol/endpoints.js';

/** How one kind of subscription request is remembered. */
export interface SubscriptionRule {
  /** The request that subscribes, e.g. `chat_join`. */
  subscribe: string;
  /** The request that undoes it, e.g. `chat_leave`. */
  unsubscribe?: string;
  /**
   * `key`: one subscription per value of this field (`conversationId`); `items`: a set of the array
   * items in this field (`symbols`), re-sent as one request; absent: the latest request replaces the
   * previous one (`filter`).
   */
  key?: string;
  items?: string;
}

/** The subscription requests of every endpoint in the catalogue. */
export const SUBSCRIPTION_RULES: readonly SubscriptionRule[] = [
  { subscribe: 'subscribe', unsubscribe: 'unsubscribe', items: 'symbols' },
  { subscribe: 'filter' },
  { subscribe: 'chat_join', unsubscribe: 'chat_leave', key: 'conversationId' },
  { subscribe: 'project_join', unsubscribe: 'project_leave', key: 'projectId' },
  { subscribe: 'notifications_subscribe', unsubscribe: 'notifications_unsubscribe', key: 'userId' },
];

/** A client message as the book stores it. */
export type SubscriptionMessage = Record<string, unknown>;

/** The type of a client message, accepting the market endpoints' legacy `{action}` form (ENV-006). */
export function clientMessageType(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, action } = message as SubscriptionMessage;
  if (typeof type === 'string') return type;
  if (typeof action === 'string') return LEGACY_ACTIONS[action];
  return undefined;
}

interface Entry {
  rule: SubscriptionRule;
  /** `key` rules: key value → request; replace rules: '' → latest request. */
  requests: Map<string, SubscriptionMessage>;
  /** `items` rules: the subscribed items in the order they were added. */
  items: Set<unknown>;
  /** `items` rules: the last subscribe request, as the template for the re-sent one. */
  template?: SubscriptionMessage;
}

export class SubscriptionBook {
  private readonly entries: Entry[];

  constructor(rules: readonly SubscriptionRule[]) {
    this.entries = rules.map((rule) => ({ rule, requests: new Map(), items: new Set() }));
  }

  /** Records a client message if it subscribes or unsubscribes. */
  record(message: unknown): void {
    const type = clientMessageType(message);
    if (type === undefined) return;
    const body = withoutId(message as SubscriptionMessage);
    for (const entry of this.entries) {
      const { rule } = entry;
      if (type === rule.subscribe) this.add(entry, body);
      else if (type === rule.unsubscribe) this.remove(entry, body);
    }
  }

  /** The requests that restore every current subscription, in a stable order, without ids. */
  replay(): SubscriptionMessage[] {
    const out: SubscriptionMessage[] = [];
    for (const entry of this.entries) {
      if (entry.rule.items !== undefined) {
        if (entry.items.size > 0 && entry.template) {
          out.push({ ...entry.template, [entry.rule.items]: [...entry.items] });
        }
      } else {
        out.push(...entry.requests.values());
      }
    }
    return out;
  }

  private add(entry: Entry, body: SubscriptionMessage): void {
    const { rule } = entry;
    if (rule.items !== undefined) {
      const items = body[rule.items];
      if (!Array.isArray(items)) return;
      for (const item of items) entry.items.add(item);
      entry.template = body;
    } else {
      entry.requests.set(keyOf(rule, body), body);
    }
  }

  private remove(entry: Entry, body: SubscriptionMessage): void {
    const { rule } = entry;
    if (rule.items !== undefined) {
      const items = body[rule.items];
      if (!Array.isArray(items)) return;
      for (const item of items) entry.items.delete(item);
    } else {
      entry.requests.delete(keyOf(rule, body));
    }
  }
}

function keyOf(rule: SubscriptionRule, body: SubscriptionMessage): string {
  return rule.key === undefined ? '' : JSON.stringify(body[rule.key] ?? null);
}

function withoutId(message: SubscriptionMessage): SubscriptionMessage {
  const { id: _id, ...rest } = message;
  return rest;
}
