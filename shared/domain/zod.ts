// zod for the whole project: zod/mini (the same library and checks, as tree-shakable functions) with
// zod's English messages, which classic zod loads by itself and zod/mini leaves out. Import it as a
// namespace (`import * as z from '#shared/domain/zod.ts'`) so each bundle keeps only what it calls
// (docs/decisions.md, "Lean functions").
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
