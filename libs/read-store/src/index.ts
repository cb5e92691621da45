export * from './read-store.port';
export * from './sqlite/sqlite-read-store';
export { MongoDbReadStore, type MongoDbReadStoreOptions } from './mongodb/mongodb-read-store';
