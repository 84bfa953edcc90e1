// Two tiers: `unit` is pure logic with no I/O; `e2e` runs against real
// kube-apiservers started by tools/local-cluster and a real redis-server (scripts/redis.sh).

/** @type {import('jest').Config} */
const esm = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^#gridfed/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
  // etcd's *.snap files under .gridfed are not jest snapshots.
  modulePathIgnorePatterns: ['<rootDir>/.gridfed/', '<rootDir>/dist/'],
};

const e2e = {
  ...esm,
  globalSetup: '<rootDir>/test/cluster/jest/global-setup.js',
  globalTeardown: '<rootDir>/test/cluster/jest/global-teardown.js',
};

/** @type {import('jest').Config} */
const config = {
  // e2e files share one fleet and one hub at a time: run files one after another.
  maxWorkers: 1,
  // Per-test deadline (a project-level testTimeout is ignored by jest): e2e tests wait for controllers.
  testTimeout: 180_000,
  // Client keep-alive sockets (undici agents per KubeConfig, Redis clients) outlive the tests;
  // every process the suites start is stopped by their own teardown, so exit when tests end.
  forceExit: true,
  reporters: ['default', '<rootDir>/test/jest/summary-reporter.js'],
  projects: [
    { ...esm, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test,tools}/**/*.spec.ts'] },
    {
      ...e2e,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/hub/redis-cluster.e2e.ts'],
      setupFiles: ['<rootDir>/test/jest/redis-single.js'],
    },
    // The distribution, status and sites suites again, with the hub on a 3-master Redis Cluster.
    {
      ...e2e,
      displayName: 'e2e-redis-cluster',
      testMatch: [
        '<rootDir>/test/hub/distribution.e2e.ts',
        '<rootDir>/test/hub/status.e2e.ts',
        '<rootDir>/test/hub/sites.e2e.ts',
        '<rootDir>/test/hub/redis-cluster.e2e.ts',
      ],
      setupFiles: ['<rootDir>/test/jest/redis-cluster.js'],
    },
  ],
};

export default config;
