import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@nestkit/config';
import { INSTANCER, type Instancer } from '@nestkit/discovery';
import { type HttpClient, resilientHttpClient } from '@nestkit/http-client';
import type { GatewayConfig } from '../gateway.config';

/**
 * One discovery-aware HTTP client per upstream service, created on first use: instances come from the
 * Instancer's local cache, a round-robin balancer spreads calls over the instances that neither passive
 * health nor their own breaker has taken out, and each call has the configured time budget and the
 * upstream's policy (`UPSTREAM_POLICIES` over the recommended one: bulkhead, breaker, retries of
 * idempotent calls on another instance within a 20% budget).
 */
@Injectable()
export class Upstreams {
  private readonly clients = new Map<string, HttpClient>();

  constructor(
    @Inject(INSTANCER) private readonly instancer: Instancer,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  client(service: string): HttpClient {
    let client = this.clients.get(service);
    if (!client) {
      client = resilientHttpClient({ service, instancer: this.instancer, timeoutMs: this.config.UPSTREAM_TIMEOUT_MS, config: this.config });
      this.clients.set(service, client);
    }
    return client;
  }
}
