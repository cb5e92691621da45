export * from './read-store.port';
export * from './sqlite/sqlite-read-store';
export * from './sqlite/shared-write-lock';
