import type { OpenApiDocument } from './openapi-document';
import { applyPlatformConventions } from './platform-conventions';
import type { RouteFacts } from './route-facts';

const scanned = (): OpenApiDocument => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/things/{id}': {
      put: {
        operationId: 'things_put',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'dry', in: 'query', required: true, schema: { type: 'boolean' } },
          { name: 'authorization', in: 'header', required: true, schema: { type: 'string' } },
        ],
        responses: { '200': { description: 'ok' }, '409': { description: 'Error, as RFC 9457 problem details.', content: { 'application/json': {} } } },
      },
    },
  },
});

const facts: RouteFacts = { operationId: 'things_put', access: 'user', restricted: true, validatesBody: true, validatesParameters: false, optionalQuery: ['dry'] };

describe(applyPlatformConventions.name, () => {
  it('derives security, error statuses and optional query parameters from the route facts', () => {
    const sut = applyPlatformConventions(scanned(), [facts]).paths['/things/{id}'].put;
    expect(sut?.security).toEqual([{ userToken: [] }]);
    expect(Object.keys(sut?.responses ?? {})).toEqual(['200', '400', '401', '403', '404', '409', '413', '414', '415', '422', '431', '5XX']);
    expect(sut?.parameters?.map((p) => 'name' in p && [p.name, p.required])).toEqual([
      ['id', true],
      ['dry', false],
    ]);
    expect(sut?.tags).toEqual(['things']);
  });

  it('documents every error as problem+json and an untyped success body as any JSON', () => {
    const sut = applyPlatformConventions(scanned(), [facts]);
    const responses = sut.paths['/things/{id}'].put?.responses ?? {};
    expect(responses['409']).toEqual({ description: 'Conflicts with the current state of the resource.', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
    expect(responses['200']).toEqual({ description: 'ok', content: { 'application/json': { schema: {} } } });
    expect(sut.components?.schemas?.['Problem']).toMatchObject({ type: 'object' });
  });

  it('asks for no credentials on public routes and documents no 401 on anonymous ones', () => {
    const anonymous = applyPlatformConventions(scanned(), [{ ...facts, access: 'anonymous', restricted: false, validatesBody: false }]).paths['/things/{id}'].put;
    expect(anonymous?.security).toBeUndefined();
    expect(Object.keys(anonymous?.responses ?? {})).toEqual(['200', '404', '409', '414', '431', '5XX']);
  });

  it('leaves the input document untouched', () => {
    const input = scanned();
    applyPlatformConventions(input, [facts]);
    expect(input).toEqual(scanned());
  });
});
