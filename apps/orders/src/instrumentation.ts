// Loaded first by main.ts: OpenTelemetry starts before Nest and every library the service loads.
import { instrument } from '@nestkit/tracing';

instrument({ service: 'orders', version: process.env['SERVICE_VERSION'] });
