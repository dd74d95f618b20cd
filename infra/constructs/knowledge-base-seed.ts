// KnowledgeBaseSeed: the default articles (shared/kb/) put into the table at deploy time by a custom
// resource whose function only creates what was never created (functions/deploy/seed-knowledge-base.ts).
// The resource's `defaults` property is a hash of the default articles, so it runs again when they change,
// and a new default article arrives with the next deployment; an organisation's edits are never touched.
import { createHash } from 'node:crypto';
import { CustomResource, Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_NAME_ENV } from '#shared/adapters/table-definition.ts';
import type { TableAccess } from '#shared/http/routes.ts';
import articles from '#shared/kb/default-articles.json' with { type: 'json' };
import { HelpdeskFunction } from './helpdesk-function.ts';
import { grantTableActions } from './table-access.ts';

/** An article and its first version, each a conditional Put in one transaction; nothing else. */
export const SEED_TABLE_ACCESS: TableAccess = { tableActions: ['dynamodb:PutItem'], queryIndexes: [] };

export class KnowledgeBaseSeed extends Construct {
  readonly function: HelpdeskFunction;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: { table: dynamodb.ITableV2 }) {
    super(scope, id);
    this.function = new HelpdeskFunction(this, 'Function', {
      entry: 'functions/deploy/seed-knowledge-base.ts',
      description: 'Helpdesk deploy-time seed of the default knowledge base (creates only what is missing)',
      timeout: Duration.minutes(2),
      environment: { [TABLE_NAME_ENV]: props.table.tableName },
    });
    grantTableActions(this.function, props.table, SEED_TABLE_ACCESS);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::KnowledgeBaseSeed',
      properties: { defaults: createHash('sha256').update(JSON.stringify(articles)).digest('hex') },
    });
  }
}
