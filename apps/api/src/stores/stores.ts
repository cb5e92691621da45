import { EventStoreDbEventStore, SqliteEventStore, type EventStore } from '@pc/event-store';
import { MongoDbReadStore, SqliteReadStore, type ReadStore } from '@pc/read-store';
import type { AppConfig } from '../config/app-config';

/** The configured engines. Nothing else in the system knows which ones they are. */
export async function openEventStore(config: AppConfig): Promise<EventStore> {
  const { eventStore } = config;
  return eventStore.kind === 'sqlite' ? SqliteEventStore.open({ file: eventStore.file }) : EventStoreDbEventStore.connect(eventStore.connectionString);
}

export async function openReadStore(config: AppConfig): Promise<ReadStore> {
  const { readStore } = config;
  return readStore.kind === 'sqlite' ? SqliteReadStore.open({ file: readStore.file }) : MongoDbReadStore.connect(readStore.uri);
}
