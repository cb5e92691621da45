export * from './blob-store.port';
export * from './filesystem/filesystem-blob-store';
