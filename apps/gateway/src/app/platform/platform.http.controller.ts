import { Controller, Get, Inject } from '@nestjs/common';
import { ADMIN_ROLE, Roles } from '@nestkit/auth';
import { INSTANCER, type Instancer, type ServiceInstance } from '@nestkit/discovery';
import { DEFAULT_ROUTES } from '../routing/route-table';

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
  constructor(@Inject(INSTANCER) private readonly instancer: Instancer) {}

  @Get('services')
  services(): ServiceView[] {
    const services = [...new Set(DEFAULT_ROUTES.map((route) => route.service))].sort();
    return services.map((service) => ({
      service,
      instances: this.instancer.instances(service).map(({ id, host, port, version, zone, status }) => ({ id, host, port, version, zone, status })),
    }));
  }
}
