import { describeSchema } from '@nestkit/database/testing';
import { CATALOG_SCHEMA } from './catalog.schema';

describeSchema('catalog', CATALOG_SCHEMA);
