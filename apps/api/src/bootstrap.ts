import multipart from '@fastify/multipart';
import { type INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ensureDefaultUsersFile, readUsersFile } from './auth/users-file';
import type { AppConfig } from './config/app-config';
import { uploadLimits } from './documents/upload';
import { registerJsonBody } from './http/json-body';
import { logRequests } from './logging/logging';
import { createValidationPipe } from './http/validation';

export interface CreatedApp {
  readonly app: INestApplication;
  readonly usersFile: string;
  readonly usersFileCreated: boolean;
}

/**
 * Builds the HTTP application for a configuration; main.ts and the e2e tests both start it this way.
 * Fastify rather than Express: about three times the requests per second of CPU for a Nest route with a guard
 * (docs/performance.md, section c). Its router is set up to match paths as Express did (trailing slash, case).
 */
export async function createApp(config: AppConfig): Promise<CreatedApp> {
  const { file: usersFile, created } = config.authUsersFile ? { file: config.authUsersFile, created: false } : ensureDefaultUsersFile(config.dataDir);
  const users = readUsersFile(usersFile);
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 8 * 1024 } });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, users), adapter, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  logRequests(fastify, (await app.resolve(PinoLogger)).logger);
  registerJsonBody(fastify, config.bodyLimitBytes);
  await app.register(multipart, uploadLimits(config.maxUploadBytes));
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
