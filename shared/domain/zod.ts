// zod for the whole project: zod/mini (the same library and checks, as tree-shakable functions) with
// zod's English messages, which classic zod loads by itself and zod/mini leaves out. Import it as a
// namespace (`import * as z from '#shared/domain/zod.ts'`) so each bundle keeps only what it calls
// (docs/decisions.md, "Lean functions").
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';

/**
 * A module-level schema, built where it is defined: `export const fooSchema = /* @__PURE__ *\/ z.schema(() => z.strictObject(…))`.
 * With the annotation esbuild drops a definition no code of the bundle uses; without it, every schema of an
 * imported module stays, with the zod code it calls (a call may have side effects, so esbuild keeps it).
 */
export const schema = <T>(build: () => T): T => build();
