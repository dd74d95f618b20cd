// Module-level zod schemas are built through `/* @__PURE__ */ z.schema(() => …)` (shared/domain/zod.ts), so a
// Lambda bundle keeps only the schemas its function uses (docs/decisions.md, "Lean functions"): without the
// annotation esbuild keeps every schema of every module a function imports, with the zod code they call.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;
/** The configuration's schema runs at build time, in tests and in the sandbox: no bundle carries it. */
const NOT_BUNDLED = new Set(['shared/config/config-schema.ts']);

const sources = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file))
    .filter((file) => !NOT_BUNDLED.has(file));

describe('module-level zod schemas', () => {
  it('are all built through /* @__PURE__ */ z.schema in the code the functions bundle', () => {
    // Arrange
    const files = [...sources('shared'), ...sources('functions')];

    // Act: every top-level `const x = z…` that is not built through the annotated helper
    const unannotated = files.flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^(?:export )?const (\w+)(?:: [^=]+)? = z\s*\./gm)].map(
        (match) => `${file}: ${match[1]}`,
      ),
    );

    // Assert
    expect(files.length).toBeGreaterThan(100);
    expect(unannotated).toEqual([]);
  });

  it('leave a bundle that uses none of a module’s schemas without zod’s schema code', async () => {
    // Arrange: a function that reads a constant of the module that defines the ticket's schemas
    const entry = "import { SUBJECT_MAX } from '#shared/domain/tickets/ticket.ts'; export const handler = () => SUBJECT_MAX;";
    const withSchema =
      "import { ticketSchema } from '#shared/domain/tickets/ticket.ts'; export const handler = (x) => ticketSchema.parse(x);";
    const bundle = async (contents: string) =>
      (
        await build({
          stdin: { contents, resolveDir: ROOT, loader: 'ts' },
          bundle: true,
          minify: true,
          format: 'esm',
          platform: 'node',
          write: false,
          logLevel: 'silent',
        })
      ).outputFiles[0]!.text;

    // Act
    const [lean, validating] = await Promise.all([bundle(entry), bundle(withSchema)]);

    // Assert: zod's schema code comes with a schema, and only with it (its English messages stay: zod.ts sets them)
    expect(validating).toContain('$ZodObject');
    expect(lean).not.toContain('$ZodObject');
    expect(lean.length).toBeLessThan(5_000);
  });
});
