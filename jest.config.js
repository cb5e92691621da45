/** Unit specs sit beside the code; e2e and crash tests live in test/ and run against real processes and files. */
// Transpile only: `npm test` type-checks the whole tree once with tsc before jest runs.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] };
const moduleNameMapper = {
  '^@pc/domain$': '<rootDir>/libs/domain/src',
  '^@pc/event-store$': '<rootDir>/libs/event-store/src',
  '^@pc/event-store/eventstoredb$': '<rootDir>/libs/event-store/src/eventstoredb',
  '^@pc/read-store$': '<rootDir>/libs/read-store/src',
  '^@pc/read-store/mongodb$': '<rootDir>/libs/read-store/src/mongodb',
  '^@pc/projections$': '<rootDir>/libs/projections/src',
  '^@pc/blob-store$': '<rootDir>/libs/blob-store/src',
  '^@pc/blob-store/gridfs$': '<rootDir>/libs/blob-store/src/gridfs',
};
const common = { transform, moduleNameMapper, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
