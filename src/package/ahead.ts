/** How far a Lookahead may run ahead of its consumer. */
export interface AheadLimits {
  items: number;
  /** Sum of `weight` over the items started and not yet taken (the first one may exceed it alone). */
  weight: number;
}

/**
 * Starts asynchronous work for the items ahead of the one being consumed, in order and within `limits`,
 * so that reads and compression on worker threads keep every core busy while the consumer handles
 * the results one at a time, in order, with memory bounded by the limits rather than by the list.
 */
export class Lookahead<T, R> {
  private readonly started = new Map<number, Promise<R>>();
  private next = 0;
  private inFlight = 0;

  /**
   * @param start the work for one item, or undefined for an item the consumer handles itself.
   * @param weight what an item in flight costs against `limits.weight` (bytes held, typically).
   */
  constructor(
    private readonly items: readonly T[],
    private readonly start: (item: T) => Promise<R> | undefined,
    private readonly weight: (item: T) => number,
    private readonly limits: AheadLimits,
  ) {}

  /** The result for item `index` (taken in increasing order), or undefined if `start` declined it. */
  async take(index: number): Promise<R | undefined> {
    this.fill(index);
    const pending = this.started.get(index);
    if (!pending) return undefined;
    this.started.delete(index);
    try {
      return await pending;
    } finally {
      this.inFlight -= this.weight(this.items[index]!);
      this.fill(index + 1);
    }
  }

  private fill(from: number): void {
    this.next = Math.max(this.next, from);
    // While the next item is under way, refill only once half the room is free: work then starts in
    // runs of items that can travel together, rather than one item per item taken.
    const busy = this.started.size > this.limits.items / 2 || this.inFlight > this.limits.weight / 2;
    if (this.next > from && busy) return;
    while (this.next < this.items.length && this.next < from + this.limits.items) {
      const item = this.items[this.next]!;
      const weight = this.weight(item);
      if (this.started.size > 0 && this.inFlight + weight > this.limits.weight) return;
      const pending = this.start(item);
      if (pending) {
        // A failure surfaces when the consumer takes the item; until then it is not unhandled.
        pending.catch(() => undefined);
        this.started.set(this.next, pending);
        this.inFlight += weight;
      }
      this.next++;
    }
  }
}
