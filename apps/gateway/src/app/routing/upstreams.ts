import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@nestkit/config';
import { INSTANCER, type Instancer } from '@nestkit/discovery';
import { HttpClient } from '@nestkit/http-client';
import { OutlierDetector, RoundRobinBalancer } from '@nestkit/load-balancing';
import { policyFor, RECOMMENDED_UPSTREAM_POLICY } from '@nestkit/resilience';
import type { GatewayConfig } from '../gateway.config';

/**
 * One discovery-aware HTTP client per upstream service, created on first use: instances come from the
 * Instancer's local cache, a round-robin balancer spreads calls over the instances passive health has
 * not ejected, and each call has the configured time budget.
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
      client = new HttpClient({
        service,
        instancer: this.instancer,
        balancer: new RoundRobinBalancer(),
        // An instance failing five calls in a row sits out for a growing interval (passive health).
        outliers: new OutlierDetector(),
        timeoutMs: this.config.UPSTREAM_TIMEOUT_MS,
        // Bulkhead, breaker, retries of idempotent calls on another instance (within a 20% budget), 2 s per try.
        policy: policyFor(service, { ...RECOMMENDED_UPSTREAM_POLICY, timeoutMs: Math.min(RECOMMENDED_UPSTREAM_POLICY.timeoutMs, this.config.UPSTREAM_TIMEOUT_MS) }),
      });
      this.clients.set(service, client);
    }
    return client;
  }
}
