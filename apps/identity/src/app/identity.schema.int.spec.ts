import { describeSchema } from '@nestkit/database/testing';
import { IDENTITY_SCHEMA } from './identity.schema';

describeSchema('identity', IDENTITY_SCHEMA);
