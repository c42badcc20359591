import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_AUTHORIZATION_HEADER, ServiceTokenProvider } from '@nestkit/auth';
import { CONFIG } from '@nestkit/config';
import { Product } from '@nestkit/contracts/catalog';
import { INSTANCER, type Instancer } from '@nestkit/discovery';
import { UnavailableError } from '@nestkit/errors';
import { type HttpClient, resilientHttpClient } from '@nestkit/http-client';
import { z } from 'zod';
import type { OrdersConfig } from '../orders.config';

const ProductList = z.array(Product);

const CATALOG = 'catalog';

/**
 * Reads products from the catalog service over HTTP, through discovery, with a time budget, as orders
 * itself: its own service token for catalog in `x-service-authorization` (the product list is public to
 * users, so no user token goes along).
 */
@Injectable()
export class CatalogClient {
  private readonly http: HttpClient;

  constructor(
    @Inject(INSTANCER) instancer: Instancer,
    @Inject(CONFIG) config: OrdersConfig,
    private readonly tokens: ServiceTokenProvider,
  ) {
    this.http = resilientHttpClient({ service: CATALOG, instancer, timeoutMs: config.CATALOG_TIMEOUT_MS, config });
  }

  /** The products with the given ids that exist; unknown ids are simply absent from the result. */
  async products(ids: readonly string[]): Promise<Product[]> {
    const response = await this.http.request({
      method: 'GET',
      path: `/products?ids=${ids.map(encodeURIComponent).join(',')}`,
      headers: { accept: 'application/json', [SERVICE_AUTHORIZATION_HEADER]: await this.tokens.authorizationHeader(CATALOG) },
    });
    if (response.status !== 200) {
      throw new UnavailableError(`catalog answered ${response.status} to a product lookup`, 'orders.catalog-unavailable');
    }
    const parsed = ProductList.safeParse(response.json());
    if (!parsed.success) throw new UnavailableError('catalog sent a product list that does not match the contract', 'orders.catalog-bad-response');
    return parsed.data;
  }
}
