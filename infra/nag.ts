// cdk-nag v3 findings are acknowledged through CDK's own Validations API, one finding at
// a time, each with the reason a reviewer needs.
import { Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

const PACK = 'AwsSolutions::';

export function acknowledge(scope: IConstruct, findings: Array<{ id: string; reason: string }>): void {
  for (const f of findings) Validations.of(scope).acknowledge({ id: `${PACK}${f.id}`, reason: f.reason });
}

/** How cdk-nag names a resource's ARN in a finding: <LogicalId.Arn>. */
export function arnToken(resource: IConstruct): string {
  const cfn = resource.node.defaultChild as CfnResource;
  const stack = Stack.of(resource);
  return `<${stack.resolve(stack.getLogicalId(cfn))}.Arn>`;
}

/** IAM5 findings for object ARNs under the given prefixes of a bucket. */
export function prefixFindings(bucket: IConstruct, prefixes: string[], reason: string) {
  return prefixes.map((p) => ({ id: `AwsSolutions-IAM5[Resource::${arnToken(bucket)}/${p}/*]`, reason }));
}
