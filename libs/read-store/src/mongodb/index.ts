/** The MongoDB adapter, an entry of its own so that the embedded default never loads the driver. */
export { MongoDbReadStore, type MongoDbReadStoreOptions } from './mongodb-read-store';
