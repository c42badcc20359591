import { z } from 'zod';
import { createEnvelope } from '../envelope/envelope';
import { RecordingPublisher } from './recording.publisher';

const Pinged = { type: 'test.pinged', version: 1, schema: z.object({}) } as const;

describe(RecordingPublisher.name, () => {
  it('records accepted envelopes and rejects exactly the next N publishes', async () => {
    const sut = new RecordingPublisher().failNext(2, new Error('down'));
    const envelope = createEnvelope(Pinged, {}, { producer: 'test' });
    await expect(sut.publish(envelope)).rejects.toThrow('down');
    await expect(sut.publish([envelope])).rejects.toThrow('down');
    await sut.publish([envelope, envelope]);
    expect(sut.calls).toBe(3);
    expect(sut.types()).toEqual(['test.pinged', 'test.pinged']);
  });
});
