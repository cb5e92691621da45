/** Unit specs sit beside the code; e2e and crash tests live in test/ and run against real processes and files. */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022', keepClassNames: true } }];
const moduleNameMapper = {
  '^@pc/domain$': '<rootDir>/libs/domain/src',
  '^@pc/event-store$': '<rootDir>/libs/event-store/src',
  '^@pc/read-store$': '<rootDir>/libs/read-store/src',
  '^@pc/projections$': '<rootDir>/libs/projections/src',
  '^@pc/blob-store$': '<rootDir>/libs/blob-store/src',
};
const common = { transform: { '^.+\\.ts$': swc }, moduleNameMapper, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
