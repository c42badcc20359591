import { describeOpenApi, startWithOpenApi } from '@nestkit/openapi/testing';
import { AppModule } from './app.module';
import { notificationsConfigSchema } from './notifications.config';

describeOpenApi('notifications', {
  start: () =>
    startWithOpenApi(
      'notifications',
      AppModule.forRoot(notificationsConfigSchema.parse({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent', AUTH_REQUIRE_SERVICE_TOKEN: 'false' })),
    ),
  operations: ['GET /notifications', 'GET /health/live', 'GET /health/ready'],
  untypedBodies: ['GET /health/live'],
  probes: [
    { method: 'GET', path: '/notifications?limit=5', status: 401 },
    { method: 'GET', path: '/health/live', status: 200 },
  ],
});
