import { isPublicRequest } from './route-access';
import { DEFAULT_ROUTES, matchRoute } from './route-table';

describe(isPublicRequest.name, () => {
  const publicFor = (method: string, url: string) => {
    const match = matchRoute(DEFAULT_ROUTES, url);
    if (!match) throw new Error(`no route for ${url}`);
    return isPublicRequest(match, method);
  };

  it.each([
    ['POST', '/api/identity/register'],
    ['POST', '/api/identity/login'],
    ['POST', '/api/identity/refresh'],
    ['POST', '/api/identity/logout'],
    ['POST', '/api/identity/oauth/token'],
    ['GET', '/api/identity/.well-known/jwks.json'],
    ['GET', '/api/catalog/products'],
    ['GET', '/api/catalog/products?ids=p-1,p-2'],
    ['HEAD', '/api/catalog/products/p-1'],
    ['get', '/api/catalog/products/p-1'],
  ])('lets %s %s through without a user token', (method, url) => {
    expect(publicFor(method, url)).toBe(true);
  });

  it.each([
    ['GET', '/api/identity/login'],
    ['GET', '/api/identity/admin/signing-keys'],
    ['POST', '/api/identity/admin/signing-keys/rotate'],
    ['PUT', '/api/identity/admin/users/u-1/roles/admin'],
    ['POST', '/api/identity/login/../admin/signing-keys/rotate'],
    ['POST', '/api/identity/login/'],
    ['POST', '/api/catalog/products'],
    ['DELETE', '/api/catalog/products/p-1'],
    ['GET', '/api/catalog/products/'],
    ['GET', '/api/catalog/products/p-1/stock'],
    ['GET', '/api/orders'],
    ['POST', '/api/orders'],
    ['GET', '/api/orders/o-1'],
    ['GET', '/api/notifications'],
  ])('demands a user token for %s %s', (method, url) => {
    expect(publicFor(method, url)).toBe(false);
  });
});
