// The one way a function gets DynamoDB access: exactly the actions its spec lists (routes.ts, queues.ts,
// schedules.ts), on the helpdesk table, and Query also on the table's named indexes.
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { TABLE_INDEXES } from '#shared/adapters/table-definition.ts';
import type { TableAction } from '#shared/http/routes.ts';

export const grantTableActions = (fn: lambda.IFunction, table: dynamodb.ITableV2, tableActions: readonly TableAction[]) => {
  if (tableActions.length === 0) return;
  // No grantReadWriteData (it includes Scan, BatchWriteItem and more), so a handler cannot do what its spec
  // does not list. Item actions apply to the table; Query also to each index, named one by one from
  // table-definition.ts rather than `index/*`.
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: [...tableActions], resources: [table.tableArn] }));
  if (tableActions.includes('dynamodb:Query')) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: TABLE_INDEXES.map((index) => `${table.tableArn}/index/${index.indexName}`),
      }),
    );
  }
};
