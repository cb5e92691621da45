/**
 * Architecture rules, checked by `npm run lint:deps` and proven to fire by
 * test/architecture/domain-purity.e2e-spec.ts.
 *
 * The domain is pure decision logic: it may depend on itself and nothing else, so it runs
 * unchanged under the API, the projector, a replay or a unit test.
 */
const DOMAIN = '^libs/domain/';
/** Specs and their helpers live beside the domain but are not part of it. */
const DOMAIN_TEST_CODE = ['^libs/domain/.+\\.spec\\.ts$', '^libs/domain/src/testing/'];
/**
 * What those specs may use besides the domain: the property-testing library and Jest's types
 * (a `/// <reference types="jest" />` resolves to the jest package or to @types/jest).
 */
const TEST_TOOLS = ['(^|/)node_modules/fast-check/', '(^|/)node_modules/(@types/)?jest/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'libs/domain depends on nothing outside itself: no framework (@nestjs/*, class-validator, class-transformer), ' +
        'no storage or transport (mongodb, better-sqlite3, @eventstore/*, fastify), no Node built-ins (fs, net, http, crypto), ' +
        'no other lib and no app. Time and identity reach it through the DecisionContext.',
      from: { path: DOMAIN, pathNot: DOMAIN_TEST_CODE },
      to: { pathNot: DOMAIN },
    },
    {
      name: 'domain-tests-use-only-test-tools',
      severity: 'error',
      comment: 'Domain specs exercise the domain alone, so they stay as fast and deterministic as the domain itself.',
      from: { path: DOMAIN_TEST_CODE },
      to: { pathNot: [DOMAIN, ...TEST_TOOLS] },
    },
    {
      name: 'domain-not-to-test-code',
      severity: 'error',
      comment: 'Test helpers use Jest globals; production domain code must not load them.',
      from: { path: DOMAIN, pathNot: DOMAIN_TEST_CODE },
      to: { path: DOMAIN_TEST_CODE },
    },
    {
      name: 'libs-not-to-apps',
      severity: 'error',
      comment: 'Apps compose libs; a lib that reached into an app would make that app impossible to replace.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'no-circular-domain',
      severity: 'error',
      comment: 'A cycle in the domain means two concepts cannot be understood apart; extract what they share.',
      from: { path: DOMAIN },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a domain type that names a framework type couples to it as much as a value does.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
