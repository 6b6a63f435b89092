/** Waits for a condition of the server under test, polling each event-loop turn, with a deadline. */
export async function until(condition: () => boolean, expected: string, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`expected ${expected}, got: nothing within ${timeoutMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
