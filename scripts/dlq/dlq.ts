// `npm run dlq -- list|replay <group>`: lists and replays dead-lettered messages on RabbitMQ or Kafka.
import { dlqMain } from './dlq-cli';

dlqMain(process.argv.slice(2), process.env, { out: (line) => console.log(line), err: (line) => console.error(line) }).then((code) => {
  process.exitCode = code;
});
