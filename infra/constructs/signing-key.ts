// The signing key's place in AWS: an SSM Parameter Store SecureString named after the stage, which no template
// creates (CloudFormation cannot make a SecureString) and no stack deletion removes. notify makes it on first use
// (shared/adapters/signing-key.ts); the functions that verify tokens may only read it. docs/decisions.md, "Idle cost".
import { ArnFormat, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SIGNING_KEY_PARAMETER_ENV } from '#shared/adapters/signing-key.ts';
import type { HelpdeskFunction } from './helpdesk-function.ts';

/** `/helpdesk/<stage>/signing-key`: one key per stage, like the bus's name. */
export const signingKeyParameterName = (stage: string) => `/helpdesk/${stage}/signing-key`;

export class SigningKeyParameter {
  readonly parameterName: string;
  readonly parameterArn: string;

  constructor(stack: Stack, stage: string) {
    this.parameterName = signingKeyParameterName(stage);
    // The ARN of a parameter whose name begins with / has no second slash: parameter/helpdesk/<stage>/signing-key.
    this.parameterArn = stack.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: this.parameterName.slice(1),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /** The parameter's name in the variable the adapter reads. */
  environment(): Record<string, string> {
    return { [SIGNING_KEY_PARAMETER_ENV]: this.parameterName };
  }

  /**
   * ssm:GetParameter on this one parameter. No KMS statement: a SecureString under the AWS managed aws/ssm key
   * is decrypted through SSM, which that key's policy allows for the account's principals (and no one else).
   */
  grantRead(fn: HelpdeskFunction): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [this.parameterArn] }));
    for (const [name, value] of Object.entries(this.environment())) fn.addEnvironment(name, value);
  }

  /** Read, and put it once when it does not exist yet (the adapter puts with Overwrite false): the signer only. */
  grantCreate(fn: HelpdeskFunction): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter', 'ssm:PutParameter'], resources: [this.parameterArn] }));
    for (const [name, value] of Object.entries(this.environment())) fn.addEnvironment(name, value);
  }
}
