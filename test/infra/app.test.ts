import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import { afterAll, describe, expect, it } from 'vitest';
import defaultConfig from '#shared/config/helpdesk.config.json' with { type: 'json' };
import { ConfigError } from '#shared/config/load-config.ts';
import { buildTestApp } from './build-test-app.ts';

type ValidationReport = {
  pluginReports: { pluginName: string; violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
};

const outdirs: string[] = [];
const freshOutdir = () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'helpdesk-cdk-'));
  outdirs.push(outdir);
  return outdir;
};
afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

const readReport = (outdir: string): ValidationReport => {
  const file = path.join(outdir, VALIDATION_REPORT_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ValidationReport) : { pluginReports: [] };
};

const nagFindings = (report: ValidationReport) =>
  report.pluginReports
    .filter((plugin) => plugin.pluginName === 'AwsSolutions')
    .flatMap((plugin) =>
      plugin.violations.flatMap((violation) =>
        violation.violatingConstructs.map((construct) => `${violation.ruleName} at ${construct.constructPath}`),
      ),
    );

describe('buildApp: configuration', () => {
  it('refuses an invalid configuration, naming each bad field', () => {
    // Arrange
    const broken = structuredClone(defaultConfig) as Record<string, any>;
    broken.organisation.timeZone = 'Asia/Atlantis';
    broken.businessHours.start = '8 am';

    // Act
    let thrown: unknown;
    try {
      buildTestApp({ config: broken });
    } catch (error) {
      thrown = error;
    }

    // Assert
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).message).toContain('organisation.timeZone');
    expect((thrown as ConfigError).message).toContain('businessHours.start');
  });

  it('accepts the bundled configuration', () => {
    // Act
    const { config } = buildTestApp();

    // Assert
    expect(config.organisation.timeZone).toBe(defaultConfig.organisation.timeZone);
  });
});

describe('buildApp: stage', () => {
  it('prefixes the stack names with the stage from context', () => {
    // Act
    const { stateful, stateless } = buildTestApp({ context: { stage: 'qa' } });

    // Assert
    expect(stateful.stackName).toBe('Helpdesk-qa-Stateful');
    expect(stateless.stackName).toBe('Helpdesk-qa-Stateless');
  });

  it('defaults the stage to dev', () => {
    // Act
    const { stage } = buildTestApp({ context: { stage: undefined } });

    // Assert
    expect(stage).toBe('dev');
  });

  it('refuses a stage that cannot be part of a stack name', () => {
    // Act / Assert
    expect(() => buildTestApp({ context: { stage: 'Prod_1' } })).toThrow(/stage/);
  });
});

/**
 * CloudFormation allows 500 resources and 200 outputs a stack. The ceilings keep room for the next routes and
 * consumers: a route is an integration, a route and a permission in the stateless stack and five resources (and
 * three outputs: its ARN, name and alarm) in HttpFunctions; a queue consumer about a dozen in the stateless stack.
 * Crossing one is the moment to move more into a nested stack (docs/decisions.md, "HTTP functions in a nested stack").
 */
const CEILINGS: Record<string, { resources: number; outputs: number }> = {
  'Helpdesk-dev-Stateful': { resources: 450, outputs: 180 },
  'Helpdesk-dev-Stateless': { resources: 400, outputs: 180 },
  'Helpdesk-dev-Stateless/HttpFunctions': { resources: 450, outputs: 180 },
};
const CUSTOM_DOMAIN = { domainName: 'help.sekolah.sch.id', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'sekolah.sch.id' };

describe('buildApp: stack sizes', () => {
  it.each([
    ['on the execute-api address', {}],
    ['with the API on a custom domain', CUSTOM_DOMAIN],
  ])('keeps every stack, nested ones included, under its resource and output ceilings %s', (_, context) => {
    // Arrange
    const { app } = buildTestApp({ context });

    // Act
    const sizes = Object.fromEntries(
      app.node
        .findAll()
        .filter((node): node is Stack => Stack.isStack(node))
        .map((stack) => {
          const template = Template.fromStack(stack).toJSON() as { Resources: object; Outputs?: object };
          return [
            stack.node.path,
            { resources: Object.keys(template.Resources).length, outputs: Object.keys(template.Outputs ?? {}).length },
          ];
        }),
    );

    // Assert
    expect(Object.keys(sizes).sort()).toEqual(Object.keys(CEILINGS).sort());
    for (const [path, size] of Object.entries(sizes)) {
      expect(size.resources, `${path} resources`).toBeLessThanOrEqual(CEILINGS[path]!.resources);
      expect(size.outputs, `${path} outputs`).toBeLessThanOrEqual(CEILINGS[path]!.outputs);
    }
    // The HTTP functions are in the nested stack, not the parent: the split is what keeps both under the ceiling.
    expect(sizes['Helpdesk-dev-Stateless/HttpFunctions']!.resources).toBeGreaterThan(200);
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('reports no unacknowledged findings', () => {
    // Arrange
    const outdir = freshOutdir();
    const { app } = buildTestApp({ outdir });

    // Act (synth throws with the report when a finding is an error)
    app.synth();

    // Assert (warnings do not throw, so read the report too)
    expect(nagFindings(readReport(outdir))).toEqual([]);
  });

  it('reports no unacknowledged findings with the optional sign-in settings either (Plus plan, SES mail)', () => {
    // Arrange
    const outdir = freshOutdir();
    const { app } = buildTestApp({ outdir, context: { userPoolPlan: 'plus', userPoolEmail: 'ses' } });

    // Act
    app.synth();

    // Assert
    expect(nagFindings(readReport(outdir))).toEqual([]);
  });

  it('reports no unacknowledged findings with the API on a custom domain', () => {
    // Arrange
    const outdir = freshOutdir();
    const { app } = buildTestApp({ outdir, context: CUSTOM_DOMAIN });

    // Act
    app.synth();

    // Assert
    expect(nagFindings(readReport(outdir))).toEqual([]);
  });

  it('does report a finding nobody acknowledged (the check above is live)', () => {
    // Arrange
    const outdir = freshOutdir();
    const { app, stateless } = buildTestApp({ outdir });
    new iam.Role(stateless, 'UnreviewedRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
    });

    // Act
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM4/);

    // Assert
    expect(nagFindings(readReport(outdir))).toEqual([
      expect.stringMatching(/^AwsSolutions-IAM4\[.*ReadOnlyAccess\] at Helpdesk-dev-Stateless\/UnreviewedRole\//),
    ]);
  });
});
