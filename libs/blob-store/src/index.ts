export * from './blob-store.port';
export * from './filesystem/filesystem-blob-store';
export * from './gridfs/gridfs-blob-store';
