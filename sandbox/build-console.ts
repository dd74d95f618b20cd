// Builds the web console (web/ → web/dist) with Vite, for `npm start` and the browser tests.
import { fileURLToPath } from 'node:url';
import { SandboxError } from './support.ts';

const CONFIG = fileURLToPath(new URL('../web/vite.config.ts', import.meta.url));

export const buildConsole = async (outDir?: string): Promise<void> => {
  const { build } = await import('vite');
  try {
    await build({ configFile: CONFIG, logLevel: 'error', ...(outDir ? { build: { outDir, emptyOutDir: true } } : {}) });
  } catch (error) {
    throw new SandboxError(`The console did not build: ${(error as Error).message}`);
  }
};
