import { ConfigError, loadConfig } from './app-config';

const failureOf = (env: Record<string, string>): ConfigError => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('runs on the embedded stores under ./data with nothing set', () => {
    const config = loadConfig({});
    expect(config.eventStore).toEqual({ kind: 'sqlite', file: expect.stringMatching(/data[/\\]events\.sqlite$/) });
    expect(config.readStore).toEqual({ kind: 'sqlite', file: expect.stringMatching(/data[/\\]read-models\.sqlite$/) });
    expect(config).toMatchObject({ port: 3000, projector: true, projectorThread: true, projectorThreads: 2, authUsersFile: null });
  });

  it('runs the projections on one thread or two', () => {
    expect(loadConfig({ PROJECTOR_THREADS: '1' }).projectorThreads).toBe(1);
    expect(loadConfig({ PROJECTOR_THREADS: '2' }).projectorThreads).toBe(2);
  });

  it('switches engines by configuration alone', () => {
    const config = loadConfig({
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
      READ_STORE: 'mongodb',
      MONGODB_URI: 'mongodb://localhost:27017/pc',
      PROJECTOR: 'off',
    });
    expect(config.eventStore).toEqual({ kind: 'eventstoredb', connectionString: 'esdb://localhost:2113?tls=false' });
    expect(config.readStore).toEqual({ kind: 'mongodb', uri: 'mongodb://localhost:27017/pc' });
    expect(config.projector).toBe(false);
  });

  it.each([
    [{ EVENT_STORE: 'postgres' }, 'EVENT_STORE'],
    [{ READ_STORE: 'redis' }, 'READ_STORE'],
    [{ EVENT_STORE: 'eventstoredb' }, 'EVENTSTORE_CONNECTION_STRING'],
    [{ EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'http://localhost:2113' }, 'EVENTSTORE_CONNECTION_STRING'],
    [{ READ_STORE: 'mongodb' }, 'MONGODB_URI'],
    [{ READ_STORE: 'mongodb', MONGODB_URI: 'localhost:27017' }, 'MONGODB_URI'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ PROJECTOR: 'maybe' }, 'PROJECTOR'],
    [{ PROJECTOR_THREADS: '3' }, 'PROJECTOR_THREADS'],
    [{ BODY_LIMIT_BYTES: '-1' }, 'BODY_LIMIT_BYTES'],
  ])('refuses %j naming %s', (env, variable) => {
    const error = failureOf(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });
});
