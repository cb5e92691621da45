import { randomBytes } from 'node:crypto';
import { GridFSBucket, MongoClient } from 'mongodb';
import { describeBlobStoreContract } from '../testing/blob-store.contract';
import { GridFsBlobStore } from './gridfs-blob-store';

/** e.g. `mongodb://localhost:27017`; each run works in a database of its own and drops it afterwards. */
const uri = process.env.MONGODB_URI;

if (uri) {
  describeBlobStoreContract('gridfs', async () => {
    const databaseName = `pc_blobs_${randomBytes(4).toString('hex')}`;
    const store = await GridFsBlobStore.connect(uri, { databaseName });
    const admin = await MongoClient.connect(uri);
    const bucket = new GridFSBucket(admin.db(databaseName), { bucketName: 'blobs' });
    return {
      store,
      corrupt: async (hash) => {
        for (const copy of await bucket.find({ filename: hash }).toArray()) await bucket.delete(copy._id);
        const upload = bucket.openUploadStream(hash);
        await new Promise<void>((resolve, reject) => upload.end(Buffer.from('tampered'), (error?: Error | null) => (error ? reject(error) : resolve())));
      },
      cleanup: async () => {
        await store.close();
        try {
          await admin.db(databaseName).dropDatabase();
        } finally {
          await admin.close();
        }
      },
    };
  });
} else {
  test.todo('GridFS blob store contract: skipped because MONGODB_URI is not set');
}
