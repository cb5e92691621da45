import { SqliteEventStore, type EventStore } from '@pc/event-store';
import { SqliteReadStore, type ReadStore } from '@pc/read-store';
import type { AppConfig } from '../config/app-config';

/**
 * The configured engines. Nothing else in the system knows which ones they are. The server engines' clients are
 * loaded only when configured: the embedded default would otherwise carry ~33 MB of gRPC and MongoDB driver code.
 */
export async function openEventStore(config: AppConfig): Promise<EventStore> {
  const { eventStore } = config;
  if (eventStore.kind === 'sqlite') return SqliteEventStore.open({ file: eventStore.file });
  const { EventStoreDbEventStore } = await import('@pc/event-store/eventstoredb');
  return EventStoreDbEventStore.connect(eventStore.connectionString);
}

export async function openReadStore(config: AppConfig): Promise<ReadStore> {
  const { readStore } = config;
  if (readStore.kind === 'sqlite') return SqliteReadStore.open({ file: readStore.file });
  const { MongoDbReadStore } = await import('@pc/read-store/mongodb');
  return MongoDbReadStore.connect(readStore.uri);
}
