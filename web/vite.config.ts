import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// The console is served by the service under /console (src/api/console/console.routes.ts).
// esbuild compiles the JSX (automatic runtime): no React plugin needed for a production build.
export default defineConfig({
  root: here,
  base: '/console/',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic' },
  build: { outDir: path.join(here, 'dist'), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1024 },
});
