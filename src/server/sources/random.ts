/**
 * Seeded randomness for the simulated sources. Every source (and every campaign, symbol or user) draws from
 * its own stream derived from the simulation seed and a name, so what one stream produces never depends on
 * how much another has been used.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** Uniform in [min, max). */
  float(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Standard normal (Box–Muller). */
  gaussian(): number;
  /** Where the stream is: `createRandom(random.state())` goes on exactly where `random` is. */
  state(): number;
}

/** mulberry32: a small, fast 32-bit generator; plenty for simulated data. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
    chance: (probability) => next() < probability,
    pick: (items) => items[Math.floor(next() * items.length)],
    gaussian: () => {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    state: () => state,
  };
}

/** The seed of the stream named `parts` under `seed` (FNV-1a over the seed and the name). */
export function deriveSeed(seed: number, ...parts: Array<string | number>): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (const char of parts.join('/')) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function streamFor(seed: number, ...parts: Array<string | number>): Random {
  return createRandom(deriveSeed(seed, ...parts));
}
