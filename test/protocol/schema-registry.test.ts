import { describe, expect, it } from 'vitest';
import { SchemaRegistry, messageType } from '../../src/protocol/schema-registry.js';

const registry = SchemaRegistry.shared();

describe('SchemaRegistry', () => {
  it('returns the same shared instance', () => {
    expect(SchemaRegistry.shared()).toBe(registry);
  });

  it('knows which types an endpoint defines per direction', () => {
    expect(registry.has('campaigns', 'server', 'campaign_update')).toBe(true);
    expect(registry.has('campaigns', 'server', 'price_update')).toBe(false);
    expect(registry.has('market_data', 'client', 'subscribe')).toBe(true);
    expect(registry.has('market_data', 'server', 'subscribe')).toBe(false);
  });

  it('accepts a valid message', () => {
    expect(registry.validate('chat', 'client', { type: 'chat_join', conversationId: 3, id: 1 })).toEqual({
      ok: true,
    });
  });

  it('reports the failing path of an invalid message', () => {
    const result = registry.validate('market_data', 'server', {
      type: 'price_update',
      data: { symbol: 'BTC', price: '1' },
    });
    expect(result).toEqual({ ok: false, issues: [{ path: '/data/price', message: 'must be number' }] });
  });

  it('reports a missing property at the root as "/"', () => {
    const result = registry.validate('chat', 'client', { type: 'chat_join' });
    expect(result.ok === false && result.issues.map((issue) => issue.path)).toEqual(['/']);
  });

  it('refuses a type the endpoint does not define, at "/type"', () => {
    expect(registry.validate('chat', 'client', { type: 'subscribe', symbols: ['BTC'] })).toEqual({
      ok: false,
      issues: [{ path: '/type', message: 'unknown type "subscribe" for endpoint chat' }],
    });
  });

  it('refuses a message without a string type, and a value that is not an object, at "/type"', () => {
    for (const value of [{ type: 5 }, [1], null, 'ping', { symbols: ['BTC'] }]) {
      expect(registry.validate('market_data', 'client', value)).toEqual({
        ok: false,
        issues: [{ path: '/type', message: 'must be a JSON object with a string "type"' }],
      });
    }
  });

  it('accepts the legacy action form on market endpoints only (ENV-006)', () => {
    const legacy = { action: 'subscribe', symbols: ['BTC'] };
    expect(messageType('market_data', 'client', legacy)).toBe('subscribe');
    expect(registry.validate('market_data', 'client', legacy)).toEqual({ ok: true });
    expect(messageType('chat', 'client', { action: 'chat_join' })).toBeUndefined();
    expect(messageType('market_data', 'server', { action: 'subscribe' })).toBeUndefined();
  });

  it('takes the type from type when both are present, and refuses a conflicting action', () => {
    expect(messageType('news', 'client', { type: 'filter', action: 'subscribe' })).toBe('filter');
    expect(
      registry.validate('news', 'client', { type: 'filter', action: 'subscribe', keywords: [] }),
    ).toMatchObject({
      ok: false,
      issues: [{ path: '/action' }],
    });
  });

  it('returns the raw schema of a message for each direction', () => {
    expect(registry.schemaFor('server', 'ping')).toMatchObject({ title: 'ServerPing' });
    expect(registry.schemaFor('client', 'ping')).toMatchObject({ title: 'ClientPing' });
    expect(registry.schemaFor('client', 'campaign_update')).toBeUndefined();
  });

  it('loads from an explicit schemas folder and explains a missing one', () => {
    expect(() => SchemaRegistry.load('/nonexistent/schemas')).toThrow(/no schemas in \/nonexistent\/schemas/);
  });
});
