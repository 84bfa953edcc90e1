// Two tiers: `unit` is pure logic with no I/O; `e2e` runs against real
// kube-apiservers started by test/cluster (and, later, a real redis-server).

/** @type {import('jest').Config} */
const esm = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
};

/** @type {import('jest').Config} */
const config = {
  reporters: ['default', '<rootDir>/test/jest/summary-reporter.js'],
  projects: [
    { ...esm, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'] },
    {
      ...esm,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e.ts'],
      globalSetup: '<rootDir>/test/cluster/jest/global-setup.js',
      globalTeardown: '<rootDir>/test/cluster/jest/global-teardown.js',
      testTimeout: 180_000,
    },
  ],
};

export default config;
