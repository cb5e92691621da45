export * from './event-store.port';
export * from './integrity';
export { SqliteEventStore, type SqliteConnectionSettings, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { fromSqlitePosition, toSqlitePosition } from './sqlite/sqlite-positions';
export { EventStoreDbEventStore, fromEventStoreDbPosition, toEventStoreDbPosition, InvalidEventStoreDbPositionError, type EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store';
export * from './verification';
export * from './evidence-bundle';
