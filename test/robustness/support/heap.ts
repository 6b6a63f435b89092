/**
 * Heap size after a full collection, for leak bounds. The collector is reached through V8's flag (tests
 * run without `--expose-gc`), in a fresh context so the flag applies.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

export function heapAfterGc(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

export const MIB = 1024 * 1024;
