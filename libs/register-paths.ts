import { resolve } from 'node:path';
import { register } from 'tsconfig-paths';

/**
 * Resolves the `@pc/*` library aliases at run time, from the compiled tree as from the sources:
 * the libraries sit at the same place relative to this file in both.
 */
register({
  baseUrl: resolve(__dirname, '..'),
  paths: {
    '@pc/domain': ['libs/domain/src'],
    '@pc/event-store': ['libs/event-store/src'],
    '@pc/event-store/eventstoredb': ['libs/event-store/src/eventstoredb'],
    '@pc/read-store': ['libs/read-store/src'],
    '@pc/read-store/mongodb': ['libs/read-store/src/mongodb'],
    '@pc/projections': ['libs/projections/src'],
    '@pc/blob-store': ['libs/blob-store/src'],
    '@pc/blob-store/gridfs': ['libs/blob-store/src/gridfs'],
  },
});
