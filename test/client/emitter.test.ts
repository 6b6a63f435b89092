import { describe, expect, it } from 'vitest';
import { Emitter } from '../../src/client/emitter.js';

type Events = { tick: number; other: string };

describe('Emitter', () => {
  it('calls listeners in the order they were added, each once however often it was added', () => {
    const emitter = new Emitter<Events>();
    const calls: string[] = [];
    const a = (n: number) => calls.push(`a${n}`);
    emitter.on('tick', a);
    emitter.on('tick', (n) => calls.push(`b${n}`));
    emitter.on('tick', a);
    emitter.emit('tick', 1);
    expect(calls).toEqual(['a1', 'b1']);
    expect(emitter.listenerCount('tick')).toBe(2);
    expect(emitter.listenerCount('other')).toBe(0);
  });

  it('removes a listener with the returned function, once', () => {
    const emitter = new Emitter<Events>();
    const calls: number[] = [];
    const off = emitter.on('tick', (n) => calls.push(n));
    const offOther = emitter.on('tick', () => undefined);
    off();
    off();
    emitter.emit('tick', 1);
    expect(calls).toEqual([]);
    expect(emitter.listenerCount('tick')).toBe(1);
    offOther();
    expect(emitter.listenerCount('tick')).toBe(0);
    emitter.on('tick', (n) => calls.push(n));
    emitter.emit('tick', 2);
    expect(calls).toEqual([2]);
  });

  it('lets listeners add and remove listeners during an emit, effective from the next emit', () => {
    const emitter = new Emitter<Events>();
    const calls: string[] = [];
    let offSecond: () => void = () => undefined;
    emitter.on('tick', (n) => {
      calls.push(`first${n}`);
      offSecond();
      emitter.on('tick', (m) => calls.push(`added${m}`));
    });
    offSecond = emitter.on('tick', (n) => calls.push(`second${n}`));
    emitter.emit('tick', 1);
    expect(calls).toEqual(['first1', 'second1']);
    calls.length = 0;
    emitter.emit('tick', 2);
    // The first listener adds a new listener again on this emit; it runs from the next one.
    expect(calls).toEqual(['first2', 'added2']);
  });

  it('keeps calling the other listeners when one throws', () => {
    const emitter = new Emitter<Events>();
    const calls: number[] = [];
    const errors: unknown[] = [];
    emitter.on('tick', () => {
      throw new Error('boom');
    });
    emitter.on('tick', (n) => calls.push(n));
    emitter.emit('tick', 7, (error) => errors.push(error));
    expect(calls).toEqual([7]);
    expect(errors).toHaveLength(1);
  });
});
