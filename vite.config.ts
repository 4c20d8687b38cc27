import { defineConfig } from 'vitest/config';
import solid from 'vite-plugin-solid';

// One config for the web build (root web/, output dist/) and for vitest.
export default defineConfig({
  root: 'web',
  plugins: [solid()],
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
  test: {
    root: '.',
    environment: 'node',
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
