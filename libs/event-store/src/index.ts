export * from './event-store.port';
export * from './integrity';
export { SqliteEventStore, type SqliteConnectionSettings, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { fromSqlitePosition, toSqlitePosition } from './sqlite/sqlite-positions';
export * from './verification';
export * from './evidence-bundle';
