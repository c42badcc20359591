import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import type { ZodType } from 'zod';
import { validationErrorFrom } from './zod-issues';

/**
 * Validates and parses a route argument with a zod schema from a contracts lib. A failure throws a
 * ValidationError that the problem-details filter turns into a 422 naming every failing field.
 */
@Injectable()
export class ZodValidationPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: ZodType<T>) {}

  transform(value: unknown, metadata: ArgumentMetadata): T {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const what = metadata.type === 'body' ? 'request body' : `${metadata.type} ${metadata.data ?? ''}`.trim();
    throw validationErrorFrom(result.error, what);
  }
}
