import { Module } from '@nestjs/common';
import { Upstreams } from './upstreams';

/** The gateway's per-service HTTP clients, shared by the proxy and by edge auth (JWKS and token endpoint through discovery). */
@Module({ providers: [Upstreams], exports: [Upstreams] })
export class UpstreamsModule {}
