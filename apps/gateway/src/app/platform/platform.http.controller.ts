import { Controller, Get, Inject } from '@nestjs/common';
import { ADMIN_ROLE, Roles } from '@nestkit/auth';
import { INSTANCER, type Instancer, type ServiceInstance } from '@nestkit/discovery';
import { Routes } from '../routes/routes';

/** One routed service and the instances traffic can go to now. */
export interface ServiceView {
  service: string;
  instances: Pick<ServiceInstance, 'id' | 'host' | 'port' | 'version' | 'zone' | 'status'>[];
}

/**
 * `GET /api/_platform/services`: every service the gateway routes to and its live instances, from the
 * gateway's own discovery cache. Admins only (401 without a valid token, 403 without the admin role):
 * instance addresses are a map of the internal network.
 */
@Roles(ADMIN_ROLE)
@Controller('api/_platform')
export class PlatformHttpController {
  constructor(
    @Inject(INSTANCER) private readonly instancer: Instancer,
    private readonly routes: Routes,
  ) {}

  @Get('services')
  services(): ServiceView[] {
    const services = [...new Set(this.routes.current.routes.map((route) => route.service))].sort();
    return services.map((service) => ({
      service,
      instances: this.instancer.instances(service).map(({ id, host, port, version, zone, status }) => ({ id, host, port, version, zone, status })),
    }));
  }

  /** `GET /api/_platform/routes`: the routing table in force, where each route came from, what was refused and why. */
  @Get('routes')
  table(): { routes: { id: string; origin: string; service: string; auth: unknown }[]; rejected: readonly unknown[]; lastReloadError?: string } {
    const table = this.routes.current;
    return {
      routes: table.routes.map((route) => ({ id: route.id, origin: route.origin, service: route.service, auth: route.spec.auth })),
      rejected: table.rejected,
      ...(this.routes.lastError ? { lastReloadError: this.routes.lastError } : {}),
    };
  }
}
