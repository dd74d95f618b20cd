// A value the functions read from an SSM Parameter Store SecureString that no template creates (CloudFormation
// cannot make a SecureString, and no stack deletion should remove a credential): its name, its ARN, the variable
// that tells a function the name, and ssm:GetParameter on exactly it. Used for the signing key (signing-key.ts)
// and the chat channels' credentials (docs/security.md).
//
// No KMS statement: a SecureString under the AWS managed aws/ssm key is decrypted through SSM, which that key's
// policy allows for the account's principals (kms:ViaService ssm, kms:CallerAccount) and no one else; an IAM
// statement for it would grant nothing more and would have to name the key by a wildcard (its id is the account's).
import { ArnFormat, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { HelpdeskFunction } from './helpdesk-function.ts';

/** `/helpdesk/<stage>/<name>`: one value per stage, like the bus's name. */
const secureParameterName = (stage: string, name: string) => `/helpdesk/${stage}/${name}`;

export class SecureParameter {
  readonly parameterName: string;
  readonly parameterArn: string;

  constructor(
    stack: Stack,
    stage: string,
    name: string,
    /** The variable the adapter reads the parameter's name from. */
    private readonly env: string,
  ) {
    this.parameterName = secureParameterName(stage, name);
    // The ARN of a parameter whose name begins with / has no second slash: parameter/helpdesk/<stage>/<name>.
    this.parameterArn = stack.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: this.parameterName.slice(1),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /** The parameter's name in the variable the adapter reads. */
  environment(): Record<string, string> {
    return { [this.env]: this.parameterName };
  }

  /** ssm:GetParameter on this one parameter, and its name in the function's environment. */
  grantRead(fn: HelpdeskFunction): void {
    grantParameterReads(fn, [this]);
  }
}

/** ssm:GetParameter on exactly these parameters (one statement), and their names in the function's environment. */
export const grantParameterReads = (fn: HelpdeskFunction, parameters: readonly SecureParameter[]): void => {
  if (parameters.length === 0) return;
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: parameters.map((p) => p.parameterArn) }));
  for (const parameter of parameters) for (const [name, value] of Object.entries(parameter.environment())) fn.addEnvironment(name, value);
};
