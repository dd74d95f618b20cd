// ConsoleDeployment: puts the built console and its config.json into the console's bucket at each
// deployment of the stateless stack, and clears CloudFront's cache. One build serves every stage: the stage's
// API URL and sign-in settings are only in config.json, written here from the stacks' own values.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AssetHashType, DockerImage, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { ConsoleConfig } from '#shared/console/console-config.ts';

const ROOT = join(import.meta.dirname, '../..');
export const WEB_DIR = join(ROOT, 'web');

export type ConsoleDeploymentProps = {
  /** The console bucket's ARN (an import of the stateful stack's export) and that export's name. */
  bucketArn: string;
  bucketArnExportName: string;
  distribution: cloudfront.IDistribution;
  /** What the console reads at start; deploy-time values (tokens) are resolved by CloudFormation. */
  config: ConsoleConfig;
};

/** `vite build` into CDK's output directory, on this machine (no Docker): the same build `npm run build:web` makes. */
const buildLocally = (outputDir: string): boolean => {
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      join(WEB_DIR, 'vite.config.ts'),
      '--outDir',
      outputDir,
      '--emptyOutDir',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return true;
};

export class ConsoleDeployment extends Construct {
  readonly deployment: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: ConsoleDeploymentProps) {
    super(scope, id);
    const files = s3deploy.Source.asset(WEB_DIR, {
      exclude: ['dist', 'node_modules'],
      // The hash of what was built, so a change in shared code the console imports redeploys it too.
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never pulled: the local build always runs (it needs only Node and the project's own packages).
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
        local: { tryBundle: buildLocally },
      },
    });
    this.deployment = new s3deploy.BucketDeployment(this, 'Files', {
      sources: [files, s3deploy.Source.jsonData('config.json', props.config)],
      destinationBucket: s3.Bucket.fromBucketArn(this, 'Bucket', props.bucketArn),
      distribution: props.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });

    // The deployment's provider function is a singleton of the stack, created by CDK.
    const stack = Stack.of(this);
    const provider = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!provider) return;
    Validations.of(provider).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's BucketDeployment provider writes its own logs with the basic execution role; it runs only during deployments.",
      },
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          "CDK's BucketDeployment provider copies the deployment's asset into the console bucket and prunes old files: read the asset, write and delete the console's objects, nothing else.",
      })),
      {
        id: `AwsSolutions-IAM5[Resource::${props.bucketArnExportName}/*]`,
        reason: 'Every object of the console bucket: the deployment replaces the whole built console and prunes what a release removed.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        reason: "The CDK bootstrap's asset bucket, where the built console is uploaded before it is copied (read only).",
      },
      {
        id: 'AwsSolutions-L1',
        reason: "The BucketDeployment provider's runtime is chosen by aws-cdk-lib and moves forward with its upgrades.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'cloudfront:CreateInvalidation and GetInvalidation, which CDK grants on * for the provider; it invalidates the console distribution after each deployment.',
      },
    );
  }
}
