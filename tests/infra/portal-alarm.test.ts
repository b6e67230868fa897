// The portal's API 5xx alarm: the stack has no portal yet; when the portal construct joins
// it, ops.alarmOnPortalApi(api) adds the alarm and its graph.
import { App } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TthcStack } from '../../infra/stack.ts';

const stackOf = () => new TthcStack(
  new App({ context: { 'aws:cdk:bundling-stacks': [], reportRecipients: 'lanh-dao@haiphong.gov.vn', alarmEmail: 'ops@haiphong.gov.vn' } }),
  'Portal', { env: { account: '123456789012', region: 'ap-southeast-1' } },
);
const fiveXx = (template: Template) => Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: '5xx' } }));

describe('portal API alarm', () => {
  it('is absent while the stack has no portal', () => {
    expect(fiveXx(Template.fromStack(stackOf()))).toEqual([]);
  }, 120_000);

  it('alarms on the API\'s 5xx answers, to the ops topic, once the portal\'s API is handed over', () => {
    const stack = stackOf();
    const api = new HttpApi(stack, 'PortalApi');
    stack.ops.alarmOnPortalApi(api);
    const template = Template.fromStack(stack);
    const [alarm] = fiveXx(template) as Array<{ Properties: Record<string, unknown> }>;
    expect(alarm.Properties).toMatchObject({ Namespace: 'AWS/ApiGateway', Statistic: 'Sum', Period: 300, Threshold: 1 });
    expect(JSON.stringify(alarm.Properties.Dimensions)).toContain('PortalApi');
    expect(alarm.Properties.AlarmActions).toHaveLength(1);
  }, 120_000);
});
