// Lint: ESLint's and typescript-eslint's recommended rules, over the sources, tests and benches.
// typescript-eslint reads TypeScript through its JS API, which TypeScript 7 (the native
// compiler that builds the project) no longer ships: `typescript` here is 5.9 for the linter,
// `typescript-native` (7.x) builds.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'dist-bench/', 'bundle/', '.ci/cache/', 'out/', 'node_modules/', 'coverage/', '.dependency-cruiser.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
        URL: 'readonly',
        AbortSignal: 'readonly',
        NodeJS: 'readonly',
        setImmediate: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        Headers: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-control-regex': 'off',
    },
  },
  {
    // Rules and facts are pure: no network of their own (dependency-cruiser guards their imports too).
    files: ['src/rules/**/*.ts', 'src/facts/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Rules and facts do no I/O: facts read GitLab through their deps, effects are actions.' }],
      'no-restricted-imports': [
        'error',
        {
          paths: ['http', 'https', 'net', 'tls', 'dgram', 'http2', 'undici'].flatMap((m) =>
            [m, `node:${m}`].map((name) => ({ name, message: 'Rules and facts do no network I/O.' })),
          ),
        },
      ],
    },
  },
  {
    // Type-aware checks over the sources: a switch over a union handles every member, and no promise is left unawaited.
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }], '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
