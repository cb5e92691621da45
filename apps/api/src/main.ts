import '../../../libs/register-paths';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/app-config';
import { UsersFileError } from './auth/users-file';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const { app, usersFile, usersFileCreated } = await createApp(config);
  await app.listen(config.port, config.host);
  const url = (await app.getUrl()).replace('[::1]', 'localhost');
  const logger = new Logger('ProductCoordinator');
  logger.log(`Listening on ${url}/api (OpenAPI: ${url}/api/docs, health: ${url}/health)`);
  logger.log(`Event store: ${config.eventStore.kind}; read store: ${config.readStore.kind}; projector: ${config.projector ? 'in this process' : 'off'}`);
  logger.log(`API keys: ${usersFile}${usersFileCreated ? ' (generated: one user per role)' : ''}`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UsersFileError) {
    console.error(`Configuration error: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
