// The one way a function gets DynamoDB access: exactly the item actions its spec lists (routes.ts,
// queues.ts, schedules.ts) on the helpdesk table, and Query on exactly the indexes it names.
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { TableAccess } from '#shared/http/routes.ts';

export const grantTableActions = (fn: lambda.IFunction, table: dynamodb.ITableV2, access: TableAccess) => {
  // No grantReadWriteData (it includes Scan, BatchWriteItem and more), so a handler cannot do what its spec
  // does not list.
  if (access.tableActions.length > 0)
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: [...access.tableActions], resources: [table.tableArn] }));
  if (access.queryIndexes.length > 0)
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: access.queryIndexes.map((index) => `${table.tableArn}/index/${index}`),
      }),
    );
};
