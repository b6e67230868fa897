// cdk-nag v3 findings are acknowledged through CDK's own Validations API, one finding at
// a time, each with the reason a reviewer needs, on the construct that holds it (a role, its
// policy, a queue), never on the stack: a new wildcard anywhere else fails synth.
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

/** The policy CDK attaches to a role for its grants and addToRolePolicy calls. */
export function defaultPolicyOf(role: IConstruct | undefined): IConstruct {
  const policy = role?.node.tryFindChild('DefaultPolicy');
  if (!policy) throw new Error(`${role?.node.path ?? 'a function without a role'} has no default policy to acknowledge findings on`);
  return policy;
}

/** A helper CDK keeps once per stack (bucket notifications, the scheduler's target role), by the start of its id. */
export function stackSingleton(scope: IConstruct, idPrefix: string): IConstruct {
  const found = Stack.of(scope).node.children.filter((c) => c.node.id.startsWith(idPrefix));
  if (found.length !== 1) throw new Error(`expected one ${idPrefix}… in the stack, found ${found.length}`);
  return found[0];
}
