// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * The libraries, bottom first: each imports only the libraries before it (README,
 * "Layers"). Apps import libraries; nothing but tests imports test/.
 */
export const LIBRARY_ORDER = [
  'grid-api',
  'site-config',
  'site-api',
  'sites',
  'kube',
  'access',
  'topology',
  'workqueue',
  'grid-render',
  'rollout',
  'sharding',
  'cluster-registry',
  'distribution',
  'status',
  'site-membership',
];

const noTestImports = {
  group: ['**/test/**'],
  message: 'only tests import test/; shared tooling lives in tools/',
};

/** One block per library (specs included): no library above it, no other library by path, no app, bench, tools or test. */
const layering = LIBRARY_ORDER.map((lib, i) => ({
  files: [`libs/${lib}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...(i + 1 < LIBRARY_ORDER.length
            ? [
                {
                  regex: `^#gridfed/(${LIBRARY_ORDER.slice(i + 1).join('|')})(/|$)`,
                  message: `libs/${lib} sits below these libraries (eslint.config.js LIBRARY_ORDER): it may not import them`,
                },
              ]
            : []),
          {
            group: ['**/libs/**', '../../*/src/**'],
            message: 'import another library through its #gridfed/<name> entry point, never by path',
          },
          { group: ['**/apps/**', '**/bench/**', '**/tools/**'], message: 'a library imports only libraries' },
          noTestImports,
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.gridfed/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.js'], languageOptions: { globals: globals.node } },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...layering,
  {
    files: ['apps/**/*.ts', 'bench/**/*.ts', 'tools/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noTestImports] }] },
  },
  prettier,
);
