// The web console's build: Preact through Vite's own JSX transform (oxc), no plugin. One module script
// and one stylesheet per chunk, no inline script or style (the CSP allows neither). `npm run build:web`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Vite would inline small assets as data: URLs and a modulepreload polyfill; neither is needed.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
