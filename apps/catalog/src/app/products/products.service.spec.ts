import { inMemoryDataSource } from '@nestkit/database/testing';
import { NotFoundError } from '@nestkit/errors';
import { DataSource } from 'typeorm';
import { ProductEntity } from './product.entity';
import { ProductsService } from './products.service';
import { CATALOG_SCHEMA } from '../catalog.schema';

const keyboard = { id: 'p-keyboard', sku: 'KB-001', name: 'Mechanical keyboard', priceCents: 8900, stock: 25 };
const monitor = { id: 'p-monitor', sku: 'MN-001', name: '27-inch monitor', priceCents: 27900, stock: 3 };
const mouse = { id: 'p-mouse', sku: 'MS-001', name: 'Wireless mouse', priceCents: 2900, stock: 50 };

describe(ProductsService.name, () => {
  let dataSource: DataSource;
  let sut: ProductsService;

  beforeEach(async () => {
    dataSource = await inMemoryDataSource(CATALOG_SCHEMA);
    sut = new ProductsService(dataSource.getRepository(ProductEntity));
  });
  afterEach(async () => dataSource.destroy());

  describe('list', () => {
    it('returns every seeded product sorted by id, without the internal version column', async () => {
      expect(await sut.list()).toEqual([keyboard, monitor, mouse]);
    });

    it('treats an empty id list as no filter', async () => {
      expect(await sut.list([])).toEqual([keyboard, monitor, mouse]);
    });

    it('returns only the requested products, sorted by id, and silently omits unknown ids', async () => {
      expect(await sut.list(['p-mouse', 'p-nope', 'p-keyboard'])).toEqual([keyboard, mouse]);
    });
  });

  describe('get', () => {
    it('returns one product', async () => {
      expect(await sut.get('p-monitor')).toEqual(monitor);
    });

    it('throws NotFoundError with a stable code for an unknown id', async () => {
      const error = await sut.get('p-nope').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ code: 'catalog.product-not-found', kind: 'not-found', message: 'product p-nope does not exist' });
    });
  });
});
