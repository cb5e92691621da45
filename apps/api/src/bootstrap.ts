import { type INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ensureDefaultUsersFile, readUsersFile } from './auth/users-file';
import type { AppConfig } from './config/app-config';
import { limitBodyDepth } from './http/body-depth';
import { createValidationPipe } from './http/validation';

export interface CreatedApp {
  readonly app: INestApplication;
  readonly usersFile: string;
  readonly usersFileCreated: boolean;
}

/** Builds the HTTP application for a configuration; main.ts and the e2e tests both start it this way. */
export async function createApp(config: AppConfig): Promise<CreatedApp> {
  const { file: usersFile, created } = config.authUsersFile ? { file: config.authUsersFile, created: false } : ensureDefaultUsersFile(config.dataDir);
  const users = readUsersFile(usersFile);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, users), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // ETag is the entity's revision, set where API.md says; Express's body-hash ETags elsewhere would look like one.
  app.set('etag', false);
  app.use(json({ limit: config.bodyLimitBytes, type: ['application/json', 'application/*+json'] }));
  app.use(limitBodyDepth());
  app.setGlobalPrefix('api', { exclude: [{ path: 'health', method: RequestMethod.GET }] });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Product Coordinator')
      .setDescription('Products across their lifecycle, change requests and their decisions, and the audit trail of every event.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key from AUTH_USERS_FILE' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return { app, usersFile, usersFileCreated: created };
}
