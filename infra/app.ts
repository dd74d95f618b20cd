// `cdk` entry point (cdk.json: "npx tsx infra/app.ts"). An invalid helpdesk configuration stops synth with
// a message naming each bad field; cdk-nag findings stop it with the validation report.
import { ConfigError } from '#shared/config/load-config.ts';
import { buildApp } from './build-app.ts';

try {
  const { app } = buildApp();
  app.synth();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
