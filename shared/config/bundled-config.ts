// What `#shared/config/load-config.ts` is in a Lambda bundle (package.json "imports", condition
// `helpdesk-bundle`, set by infra/constructs/function-bundling.ts): the configuration `cdk synth` validated,
// as the schema's output (defaults filled in), put in by esbuild's `define`. The schema stays with the build,
// the tests and the sandbox, which read load-config.ts; no bundle carries its code (docs/decisions.md, "Lean
// functions").
import type { HelpdeskConfig } from './config-schema.ts';

declare const HELPDESK_CONFIG: HelpdeskConfig;

/** The configuration bundled with the code, validated when the bundle was built. */
export const loadConfig = (): HelpdeskConfig => HELPDESK_CONFIG;
