// Builds the Gantt benchmark page (perf/index.html) into perf/dist for scripts/gantt-perf.mjs.
import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('../src', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    minify: process.env.PERF_MINIFY !== '0', // PERF_MINIFY=0: readable names for a CPU profile
  },
});
