export { openApiProblems } from './lib/testing/openapi-problems';
export { describeOpenApi, type OpenApiProbe, type OpenApiSubject, type OpenApiSuiteOptions } from './lib/testing/openapi-suite';
export { startWithOpenApi } from './lib/testing/start-with-openapi';
