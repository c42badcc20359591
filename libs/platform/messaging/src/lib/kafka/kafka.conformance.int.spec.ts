import { infraUrls } from '@nestkit/testing';
import { describePublisher } from '../testing/publisher.conformance';
import { describeSubscriber } from '../testing/subscriber.conformance';
import { kafkaHarness } from './kafka.harness';

const brokers = infraUrls().kafkaBrokers;

describeSubscriber('kafka (kafkajs)', () => kafkaHarness({ brokers, client: 'kafkajs' }));
describePublisher('kafka (kafkajs)', () => kafkaHarness({ brokers, client: 'kafkajs' }));

describeSubscriber('kafka (@platformatic/kafka)', () => kafkaHarness({ brokers, client: 'platformatic' }));
describePublisher('kafka (@platformatic/kafka)', () => kafkaHarness({ brokers, client: 'platformatic' }));
