// ESLint over the web app's modules (src/server/web/*.js), run by `make lint` from the repo
// root with `--config tests/browser/eslint.config.mjs`. The app has no build step, so a name
// that is not defined or not imported would otherwise show only in a user's browser.
export default [
  {
    files: ['src/server/web/**/*.js'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      // What the modules use from the browser; anything else must be imported.
      globals: Object.fromEntries([
        'window', 'document', 'location', 'history', 'navigator', 'fetch', 'FormData', 'Blob', 'URL',
        'URLSearchParams', 'CSS', 'Intl', 'setTimeout', 'clearTimeout', 'requestAnimationFrame',
        'HTMLElement', 'Event', 'KeyboardEvent', 'File', 'FileReader', 'DataTransfer', 'console',
      ].map((name) => [name, 'readonly'])),
    },
    rules: {
      'no-undef': 'error',
      'no-unused-vars': ['error', { args: 'none', caughtErrors: 'none' }],
      'no-redeclare': 'error',
      'no-dupe-keys': 'error',
      'no-unreachable': 'error',
      'no-const-assign': 'error',
      'no-import-assign': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
];
