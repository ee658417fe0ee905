import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', '.tmp/**', '**/.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through loadConfig() in @winnow/core, not process.env.',
        },
      ],
    },
  },
  {
    files: ['packages/ingest/src/**', 'packages/screening/src/**', 'packages/extraction/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['express', 'bullmq', 'ioredis', 'pg', '@electric-sql/pglite'].map((name) => ({
            name,
            message: 'Domain packages do no I/O through drivers; use the interfaces of @winnow/core.',
          })),
        },
      ],
    },
  },
  {
    files: [
      'packages/core/src/config/**',
      'scripts/**',
      '**/*.test.ts',
      '**/test/support/**',
      '**/bench/**',
      'vitest*.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
