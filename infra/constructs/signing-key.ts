// The signing key's place in AWS: an SSM Parameter Store SecureString named after the stage, which no template
// creates (CloudFormation cannot make a SecureString) and no stack deletion removes. notify makes it on first use
// (shared/adapters/signing-key.ts); the functions that verify tokens may only read it. docs/decisions.md, "Idle cost".
import type { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SIGNING_KEY_PARAMETER_ENV } from '#shared/adapters/signing-key.ts';
import type { HelpdeskFunction } from './helpdesk-function.ts';
import { SecureParameter } from './secure-parameter.ts';

export class SigningKeyParameter extends SecureParameter {
  constructor(stack: Stack, stage: string) {
    super(stack, stage, 'signing-key', SIGNING_KEY_PARAMETER_ENV);
  }

  /** Read, and put it once when it does not exist yet (the adapter puts with Overwrite false): the signer only. */
  grantCreate(fn: HelpdeskFunction): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter', 'ssm:PutParameter'], resources: [this.parameterArn] }));
    for (const [name, value] of Object.entries(this.environment())) fn.addEnvironment(name, value);
  }
}
