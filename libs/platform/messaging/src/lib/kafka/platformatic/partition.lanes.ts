import type { KafkaRecordOutcome } from '../kafka.client';

/** What a lane needs to know about a fetched record. */
export interface LaneItem {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** Callbacks of {@link PartitionLanes}. */
export interface PartitionLanesOptions<M extends LaneItem> {
  /** Handles one record; `retryAt` holds its lane (only) and hands the same record back then. */
  handle(item: M): Promise<KafkaRecordOutcome>;
  /** Records waiting (or in hand) on a topic changed, for backpressure on that topic's fetching. */
  onBuffered(topic: string, count: number): void;
}

interface Lane<M> {
  readonly queue: M[];
  /** Offset after the last record accepted: a record below it was fetched again after a rejoin. */
  next: bigint;
  running: boolean;
  dropped: boolean;
  /** Ends the lane's retry wait early (drop, close). */
  wake?: () => void;
}

/**
 * Turns a stream of fetched records into one queue per partition: records of one partition are handled
 * one at a time in offset order, partitions independently. A record handed back with `retryAt` holds its
 * own lane until then (a waiting retry never stalls another partition). Used where the driver delivers
 * every partition on one stream (`@platformatic/kafka`) and has no per-partition pause.
 */
export class PartitionLanes<M extends LaneItem> {
  private readonly lanes = new Map<string, Lane<M>>();
  private readonly buffered = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: PartitionLanesOptions<M>) {}

  push(item: M): void {
    if (this.closed) return;
    const key = `${item.topic}:${item.partition}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { queue: [], next: -1n, running: false, dropped: false };
      this.lanes.set(key, lane);
    }
    if (item.offset < lane.next) return;
    lane.next = item.offset + 1n;
    lane.queue.push(item);
    this.count(item.topic, 1);
    if (!lane.running) this.track(this.drain(lane));
  }

  /**
   * Forgets the lanes `keep` rejects (after a rebalance took their partition away, or their stream was
   * replaced): their waiting records are dropped, as whoever owns the partition now fetches them again
   * from the committed offset. A record already in hand finishes.
   */
  drop(keep: (topic: string, partition: number) => boolean): void {
    for (const [key, lane] of this.lanes) {
      const [topic, partition] = splitKey(key);
      if (keep(topic, partition)) continue;
      lane.dropped = true;
      this.count(topic, -lane.queue.length);
      lane.queue.length = 0;
      lane.wake?.();
      this.lanes.delete(key);
    }
  }

  /** Stops taking records, cuts retry waits short and resolves once the records in hand are done. */
  async close(): Promise<void> {
    this.closed = true;
    for (const lane of this.lanes.values()) lane.wake?.();
    await Promise.allSettled([...this.running]);
  }

  private async drain(lane: Lane<M>): Promise<void> {
    lane.running = true;
    try {
      while (!this.closed && !lane.dropped && lane.queue.length > 0) {
        const item = lane.queue[0];
        const outcome = await this.options.handle(item);
        if (lane.dropped || this.closed) break;
        if (outcome) {
          await this.sleepUntil(lane, outcome.retryAt);
          continue;
        }
        lane.queue.shift();
        this.count(item.topic, -1);
      }
    } finally {
      lane.running = false;
    }
  }

  private sleepUntil(lane: Lane<M>, at: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        lane.wake = undefined;
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, at - Date.now()));
      lane.wake = wake;
    });
  }

  private track(draining: Promise<void>): void {
    this.running.add(draining);
    void draining.finally(() => this.running.delete(draining));
  }

  private count(topic: string, delta: number): void {
    if (delta === 0) return;
    const count = (this.buffered.get(topic) ?? 0) + delta;
    this.buffered.set(topic, count);
    this.options.onBuffered(topic, count);
  }
}

function splitKey(key: string): [string, number] {
  const colon = key.lastIndexOf(':');
  return [key.slice(0, colon), Number(key.slice(colon + 1))];
}
