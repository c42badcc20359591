import { describeOpenApi, startWithOpenApi } from '@nestkit/openapi/testing';
import { AppModule } from './app.module';
import { testConfig } from './testing/identity-test-kit';

const user = { email: 'openapi@example.com', password: 'correct horse battery' };

describeOpenApi('identity', {
  start: () => startWithOpenApi('identity', AppModule.forRoot(testConfig({ AUTH_REQUIRE_SERVICE_TOKEN: 'false' }))),
  operations: [
    'POST /register',
    'POST /login',
    'POST /refresh',
    'POST /logout',
    'GET /.well-known/jwks.json',
    'POST /oauth/token',
    'GET /admin/signing-keys',
    'POST /admin/signing-keys/rotate',
    'PUT /admin/users/{userId}/roles/{role}',
    'DELETE /admin/users/{userId}/roles/{role}',
    'GET /health/live',
    'GET /health/ready',
  ],
  untypedBodies: ['GET /health/live'],
  // In order: the account registered first is then taken, and can log in.
  probes: [
    { method: 'POST', path: '/register', status: 201, json: user },
    { method: 'POST', path: '/register', status: 409, json: user },
    { method: 'POST', path: '/register', status: 422, json: { email: 'not-an-address', password: 'x' } },
    { method: 'POST', path: '/login', status: 200, json: user },
    { method: 'POST', path: '/login', status: 401, json: { ...user, password: 'wrong password' } },
    { method: 'POST', path: '/refresh', status: 401, json: { refreshToken: 'not-a-token' } },
    { method: 'POST', path: '/logout', status: 204, json: { refreshToken: 'not-a-token' } },
    { method: 'GET', path: '/.well-known/jwks.json', status: 200 },
    { method: 'POST', path: '/oauth/token', status: 422, json: { grant_type: 'password' } },
    { method: 'POST', path: '/oauth/token', status: 401, json: { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'nothing' } },
    { method: 'GET', path: '/admin/signing-keys', status: 401 },
    { method: 'PUT', path: '/admin/users/u1/roles/admin', status: 401 },
  ],
});
