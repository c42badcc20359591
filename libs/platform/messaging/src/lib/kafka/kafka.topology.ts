const LEGAL = /^[a-zA-Z0-9._-]+$/;
const MAX_NAME_LENGTH = 249;
const DEAD_LETTER_SUFFIX = '.dlt';

/**
 * Names of the topics and consumer groups of the Kafka backend, all under one prefix:
 * - `<prefix><type>`: every message of one contract type (partitioned by key);
 * - `<prefix><group>.<type>.retry`: failed messages of one subscription, waiting for their next delivery;
 * - `<prefix><group>.dlt`: dead letters of one consumer group;
 * - consumer group `<prefix><group>.<type>`: one subscription, reading the type's topic and its retry topic;
 * - consumer group `<prefix><group>.dlt.replayer`: its committed offset marks what was already replayed.
 * Names are checked against Kafka's rules (letters, digits, `.`, `_`, `-`; at most 249 characters).
 */
export class KafkaTopology {
  constructor(readonly prefix: string) {}

  /** The topic every message of `type` is published to. */
  topic(type: string): string {
    return this.name(`${this.prefix}${type}`, `message type "${type}"`);
  }

  retryTopic(group: string, type: string): string {
    return this.name(`${this.prefix}${group}.${type}.retry`, `group "${group}" and type "${type}"`);
  }

  deadLetterTopic(group: string): string {
    return this.name(`${this.prefix}${group}${DEAD_LETTER_SUFFIX}`, `group "${group}"`);
  }

  /** The Kafka consumer group of one subscription (a logical group consuming one type). */
  groupId(group: string, type: string): string {
    return this.name(`${this.prefix}${group}.${type}`, `group "${group}" and type "${type}"`);
  }

  replayerGroupId(group: string): string {
    return this.name(`${this.prefix}${group}${DEAD_LETTER_SUFFIX}.replayer`, `group "${group}"`);
  }

  /** The logical group whose dead-letter topic `topic` is, or undefined when it is not one under this prefix. */
  groupOfDeadLetterTopic(topic: string): string | undefined {
    if (!topic.startsWith(this.prefix) || !topic.endsWith(DEAD_LETTER_SUFFIX)) return undefined;
    const group = topic.slice(this.prefix.length, -DEAD_LETTER_SUFFIX.length);
    return group.length > 0 ? group : undefined;
  }

  private name(name: string, from: string): string {
    if (!LEGAL.test(name) || name.length > MAX_NAME_LENGTH) {
      throw new RangeError(
        `Kafka name "${name}" (from ${from}) is not a legal topic/group name: use letters, digits, ".", "_" and "-", at most ${MAX_NAME_LENGTH} characters`,
      );
    }
    return name;
  }
}
