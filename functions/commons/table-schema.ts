// Key names of the reports table, shared by the DynamoDB adapter and the CDK stack.
export const TABLE_KEYS = { partitionKey: 'PK', sortKey: 'SK', gsi1: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' } } as const;
