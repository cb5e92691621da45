/** The GridFS blob store, an entry of its own so that the embedded default never loads the MongoDB driver. */
export * from './gridfs-blob-store';
