import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * Proves the rules in .dependency-cruiser.cjs fire. Each scenario is a small copy of the monorepo's
 * layout under the OS temp dir, cruised with the real config and tsconfig, so the working tree is
 * never written to. node_modules is linked in so packages resolve as they do in the real tree.
 */
const repositoryRoot = resolve(__dirname, '../..');
const depcruiseBin = join(repositoryRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
}

function cruise(cwd: string, roots: readonly string[]): Violation[] {
  const run = spawnSync(process.execPath, [depcruiseBin, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...roots], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  let result: { summary: { violations: Array<{ from: string; to: string; rule: { name: string } }> } };
  try {
    result = JSON.parse(run.stdout);
  } catch {
    throw new Error(`dependency-cruiser did not report (exit ${run.status}): ${run.stderr || run.stdout}`);
  }
  return result.summary.violations.map(({ rule, from, to }) => ({ rule: rule.name, from, to }));
}

const fixtureDirectories: string[] = [];

/** Lays the files out in a fresh temp copy of the repository's shape and cruises apps and libs there. */
function cruiseFixture(files: Readonly<Record<string, string>>): Violation[] {
  const root = mkdtempSync(join(tmpdir(), 'domain-purity-'));
  fixtureDirectories.push(root);
  copyFileSync(join(repositoryRoot, '.dependency-cruiser.cjs'), join(root, '.dependency-cruiser.cjs'));
  copyFileSync(join(repositoryRoot, 'tsconfig.json'), join(root, 'tsconfig.json'));
  symlinkSync(join(repositoryRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), source);
  }
  return cruise(root, ['apps', 'libs'].filter((folder) => existsSync(join(root, folder))));
}

afterAll(() => {
  // rm removes the node_modules link itself, never what it points to.
  for (const directory of fixtureDirectories) rmSync(directory, { recursive: true, force: true });
  for (const directory of fixtureDirectories) expect(existsSync(directory)).toBe(false);
  expect(existsSync(join(repositoryRoot, 'node_modules/dependency-cruiser'))).toBe(true);
});

/** A domain, a lib and an app that keep every rule, including the allowances for domain specs. */
const wellBehaved: Record<string, string> = {
  'libs/domain/src/index.ts': "export * from './thing';\n",
  'libs/domain/src/thing.ts': "import type { Other } from './other';\nexport const thing = (other: Other): string => other.id;\n",
  'libs/domain/src/other.ts': 'export interface Other {\n  readonly id: string;\n}\n',
  'libs/domain/src/testing/helper.ts': '/// <reference types="jest" />\nimport { thing } from \'../thing\';\nexport const helper = thing;\n',
  'libs/domain/src/thing.spec.ts':
    "import fc from 'fast-check';\nimport { helper } from './testing/helper';\nit('is', () => fc.assert(fc.property(fc.string(), (id) => helper({ id }) === id)));\n",
  'libs/event-store/src/index.ts':
    "import { readFileSync } from 'node:fs';\nimport type { Other } from '@pc/domain';\nexport const load = (other: Other): string => readFileSync(other.id, 'utf8');\n",
  'apps/api/src/main.ts': "import { Injectable } from '@nestjs/common';\nimport { thing } from '@pc/domain';\nimport { load } from '@pc/event-store';\nexport const wiring = [Injectable, thing, load];\n",
};

describe('Architecture rules', () => {
  jest.setTimeout(60_000);

  it('pass on a layout that keeps them', () => {
    expect(cruiseFixture(wellBehaved)).toEqual([]);
  });

  it('pass on the domain as it stands', () => {
    expect(cruise(repositoryRoot, ['libs/domain'])).toEqual([]);
    expect(existsSync(join(repositoryRoot, 'libs/domain/src/__purity_probe__.ts'))).toBe(false);
  });

  describe('on a layout that breaks them', () => {
    /** Each probe is a domain file with one import the domain must not have; the app probe also breaks libs-not-to-apps. */
    const domainProbes: ReadonlyArray<[name: string, source: string, resolvesTo: RegExp]> = [
      ['__purity_probe__', "import { Injectable } from '@nestjs/common';\nexport const probe = Injectable;\n", /node_modules\/@nestjs\/common\//],
      ['nestjs-core', "import { NestFactory } from '@nestjs/core';\nexport const probe = NestFactory;\n", /node_modules\/@nestjs\/core\//],
      ['mongodb-type-only', "import type { Db } from 'mongodb';\nexport type Probe = Db;\n", /node_modules\/mongodb\//],
      ['better-sqlite3', "import Database from 'better-sqlite3';\nexport const probe = Database;\n", /node_modules\/better-sqlite3\//],
      ['eventstore', "import { EventStoreDBClient } from '@eventstore/db-client';\nexport const probe = EventStoreDBClient;\n", /node_modules\/@eventstore\/db-client\//],
      ['fastify', "import Fastify from 'fastify';\nexport const probe = Fastify;\n", /node_modules\/fastify\//],
      ['class-validator', "import { IsString } from 'class-validator';\nexport const probe = IsString;\n", /node_modules\/class-validator\//],
      ['class-transformer', "import { plainToInstance } from 'class-transformer';\nexport const probe = plainToInstance;\n", /node_modules\/class-transformer\//],
      ['fs', "import { readFileSync } from 'fs';\nexport const probe = readFileSync;\n", /^fs$/],
      ['node-fs', "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n", /^fs$/],
      ['net', "import { createServer } from 'net';\nexport const probe = createServer;\n", /^net$/],
      ['http', "import { request } from 'http';\nexport const probe = request;\n", /^http$/],
      ['crypto', "import { randomUUID } from 'node:crypto';\nexport const probe = randomUUID;\n", /^crypto$/],
      ['other-lib-by-alias', "import type { Store } from '@pc/event-store';\nexport type Probe = Store;\n", /^libs\/event-store\/src\/index\.ts$/],
      ['other-lib-by-path', "import type { Store } from '../../../event-store/src';\nexport type Probe = Store;\n", /^libs\/event-store\/src\/index\.ts$/],
      ['app', "import { main } from '../../../../apps/api/src/main';\nexport const probe = main;\n", /^apps\/api\/src\/main\.ts$/],
    ];
    const probePath = (name: string) => `libs/domain/src/${name === '__purity_probe__' ? name : `probes/${name}`}.ts`;

    let violations: Violation[];

    beforeAll(() => {
      violations = cruiseFixture({
        ...Object.fromEntries(domainProbes.map(([name, source]) => [probePath(name), source])),
        'libs/domain/src/leaky.spec.ts': "import { Test } from '@nestjs/testing';\nexport const probe = Test;\n",
        'libs/domain/src/testing/helper.ts': 'export const helper = 1;\n',
        'libs/domain/src/uses-test-helper.ts': "import { helper } from './testing/helper';\nexport const probe = helper;\n",
        'libs/domain/src/cycle/first.ts': "import { second } from './second';\nexport const first = (): number => second() + 1;\n",
        'libs/domain/src/cycle/second.ts': "import { first } from './first';\nexport const second = (): number => first() - 1;\n",
        'libs/event-store/src/index.ts': 'export interface Store {\n  readonly name: string;\n}\n',
        'libs/read-store/src/reaches-into-app.ts': "import { main } from '../../../apps/api/src/main';\nexport const probe = main;\n",
        'apps/api/src/main.ts': 'export const main = (): void => undefined;\n',
      });
    });

    it.each(domainProbes)('domain-is-pure refuses the domain importing %s', (name, _, resolvesTo) => {
      expect(violations).toContainEqual({ rule: 'domain-is-pure', from: probePath(name), to: expect.stringMatching(resolvesTo) });
    });

    it('domain-tests-use-only-test-tools refuses a domain spec importing a framework', () => {
      expect(violations).toContainEqual({ rule: 'domain-tests-use-only-test-tools', from: 'libs/domain/src/leaky.spec.ts', to: expect.stringMatching(/node_modules\/@nestjs\/testing\//) });
    });

    it('domain-not-to-test-code refuses domain code loading a test helper', () => {
      expect(violations).toContainEqual({ rule: 'domain-not-to-test-code', from: 'libs/domain/src/uses-test-helper.ts', to: 'libs/domain/src/testing/helper.ts' });
    });

    it('libs-not-to-apps refuses a lib importing an app', () => {
      expect(violations).toContainEqual({ rule: 'libs-not-to-apps', from: 'libs/read-store/src/reaches-into-app.ts', to: 'apps/api/src/main.ts' });
    });

    it('no-circular-domain refuses a cycle in the domain, reporting it once', () => {
      expect(violations.filter(({ rule }) => rule === 'no-circular-domain')).toEqual([
        { rule: 'no-circular-domain', from: 'libs/domain/src/cycle/first.ts', to: 'libs/domain/src/cycle/second.ts' },
      ]);
    });

    it('report nothing beyond the planted breaches', () => {
      const planted = [
        ...domainProbes.map(([name]) => `domain-is-pure ${probePath(name)}`),
        'libs-not-to-apps libs/domain/src/probes/app.ts',
        'domain-tests-use-only-test-tools libs/domain/src/leaky.spec.ts',
        'domain-not-to-test-code libs/domain/src/uses-test-helper.ts',
        'libs-not-to-apps libs/read-store/src/reaches-into-app.ts',
        'no-circular-domain libs/domain/src/cycle/first.ts',
      ];
      expect(violations.map(({ rule, from }) => `${rule} ${from}`).sort()).toEqual(planted.sort());
    });
  });
});
