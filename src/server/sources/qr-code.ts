import type { Random } from './random.js';

const MODULES = 25;
const FINDER = 7;

/**
 * A QR-looking picture (finder squares in three corners, random modules elsewhere) as an SVG data URL:
 * enough for a front end to show "scan this" while it develops against the simulation. It encodes nothing.
 */
export function simulatedQrCode(random: Random): string {
  const cells: string[] = [];
  for (let y = 0; y < MODULES; y++) {
    for (let x = 0; x < MODULES; x++) {
      const dark = finderModule(x, y) ?? random.chance(0.5);
      if (dark) cells.push(`M${x} ${y}h1v1h-1z`);
    }
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-2 -2 ${MODULES + 4} ${MODULES + 4}">` +
    `<rect x="-2" y="-2" width="${MODULES + 4}" height="${MODULES + 4}" fill="#fff"/>` +
    `<path d="${cells.join('')}"/></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** Dark/light for a module inside a finder pattern (and its white separator), undefined elsewhere. */
function finderModule(x: number, y: number): boolean | undefined {
  for (const [left, top] of [
    [0, 0],
    [MODULES - FINDER, 0],
    [0, MODULES - FINDER],
  ]) {
    const dx = x - left;
    const dy = y - top;
    if (dx < -1 || dy < -1 || dx > FINDER || dy > FINDER) continue;
    if (dx < 0 || dy < 0 || dx === FINDER || dy === FINDER) return false;
    const ring = Math.min(dx, dy, FINDER - 1 - dx, FINDER - 1 - dy);
    return ring !== 1;
  }
  return undefined;
}
