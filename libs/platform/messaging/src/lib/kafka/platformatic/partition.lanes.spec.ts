import { deferred } from '../../testing/conformance.fixtures';
import type { KafkaRecordOutcome } from '../kafka.client';
import { type LaneItem, PartitionLanes } from './partition.lanes';

const item = (partition: number, offset: number, topic = 't'): LaneItem => ({ topic, partition, offset: BigInt(offset) });
const name = (i: LaneItem) => `${i.topic}:${i.partition}@${i.offset}`;

describe(PartitionLanes.name, () => {
  let handled: string[];
  let buffered: [string, number][];
  let outcome: (i: LaneItem) => Promise<KafkaRecordOutcome>;
  let sut: PartitionLanes<LaneItem>;

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    handled = [];
    buffered = [];
    outcome = async () => undefined;
    sut = new PartitionLanes({
      handle: async (i) => {
        handled.push(name(i));
        return outcome(i);
      },
      onBuffered: (topic, count) => void buffered.push([topic, count]),
    });
  });
  afterEach(async () => {
    await sut.close();
    vi.useRealTimers();
  });

  it('handles one partition in offset order, one record at a time', async () => {
    const gate = deferred();
    outcome = async (i) => (i.offset === 0n ? gate.promise.then(() => undefined) : undefined);
    sut.push(item(0, 0));
    sut.push(item(0, 1));
    await vi.advanceTimersByTimeAsync(0);
    expect(handled).toEqual(['t:0@0']);
    gate.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(handled).toEqual(['t:0@0', 't:0@1']);
  });

  it('holds only the partition of a record handed back with retryAt, then hands it again', async () => {
    let first = true;
    outcome = async (i) => {
      if (i.partition === 0 && first) {
        first = false;
        return { retryAt: 1_000 };
      }
      return undefined;
    };
    sut.push(item(0, 0));
    sut.push(item(0, 1));
    sut.push(item(1, 0));
    await vi.advanceTimersByTimeAsync(999);
    expect(handled).toEqual(['t:0@0', 't:1@0']);
    await vi.advanceTimersByTimeAsync(1);
    expect(handled).toEqual(['t:0@0', 't:1@0', 't:0@0', 't:0@1']);
  });

  it('ignores a record fetched again below what it already took', async () => {
    sut.push(item(0, 0));
    sut.push(item(0, 1));
    sut.push(item(0, 0));
    await vi.advanceTimersByTimeAsync(0);
    expect(handled).toEqual(['t:0@0', 't:0@1']);
  });

  it('drops the waiting records of lanes it is told to forget, and takes them again later', async () => {
    const gate = deferred();
    outcome = async (i) => (i.offset === 0n ? gate.promise.then(() => undefined) : undefined);
    sut.push(item(0, 0));
    sut.push(item(0, 1));
    await vi.advanceTimersByTimeAsync(0);
    sut.drop(() => false);
    gate.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(handled).toEqual(['t:0@0']);
    sut.push(item(0, 1));
    await vi.advanceTimersByTimeAsync(0);
    expect(handled).toEqual(['t:0@0', 't:0@1']);
  });

  it('reports how many records wait per topic', async () => {
    sut.push(item(0, 0, 'a'));
    sut.push(item(0, 0, 'b'));
    await vi.advanceTimersByTimeAsync(0);
    expect(buffered).toEqual([
      ['a', 1],
      ['b', 1],
      ['a', 0],
      ['b', 0],
    ]);
  });

  it('on close, ends retry waits, finishes the record in hand and takes no more', async () => {
    const gate = deferred();
    outcome = async (i) => (i.partition === 0 ? { retryAt: 60_000 } : gate.promise.then(() => undefined));
    sut.push(item(0, 0));
    sut.push(item(1, 0));
    sut.push(item(1, 1));
    await vi.advanceTimersByTimeAsync(0);
    let closed = false;
    const closing = sut.close().then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(closed).toBe(false);
    gate.resolve();
    await closing;
    sut.push(item(2, 0));
    await vi.advanceTimersByTimeAsync(0);
    expect(handled).toEqual(['t:0@0', 't:1@0']);
  });
});
