// How a unit gets upload access to only its own prefix: attribute-based access control.
// Each unit's IAM user or role carries the tag unit_code=<code> and this managed policy;
// it may put objects under incoming/<its code>/, and read and list its feedback under results/<its code>/.
// (Units without AWS identities get presigned PUT URLs instead: `tthc upload-url --unit CODE`.)
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { acknowledge, prefixFindings } from '../nag.ts';
import { Construct } from 'constructs';
import { INCOMING_PREFIX, RESULTS_PREFIX } from '../../shared/bucket-layout.ts';

export const UNIT_TAG = 'unit_code';

export class UnitUploadAccess extends Construct {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: { bucket: Bucket }) {
    super(scope, id);
    const own = (prefix: string) => props.bucket.arnForObjects(`${prefix}\${aws:PrincipalTag/${UNIT_TAG}}/*`);
    this.policy = new ManagedPolicy(this, 'Policy', {
      description: `Upload monthly reports under incoming/<${UNIT_TAG} tag>/ and read feedback under results/<${UNIT_TAG} tag>/`,
      statements: [
        new PolicyStatement({ actions: ['s3:PutObject'], resources: [own(INCOMING_PREFIX)] }),
        new PolicyStatement({ actions: ['s3:GetObject'], resources: [own(RESULTS_PREFIX)] }),
        // Listing, for its own feedback folder only: ListBucket is on the bucket, so the folder is a condition.
        new PolicyStatement({
          actions: ['s3:ListBucket'], resources: [props.bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${RESULTS_PREFIX}\${aws:PrincipalTag/${UNIT_TAG}}/*`] } },
        }),
      ],
    });
    acknowledge(this.policy, prefixFindings(props.bucket, [`incoming/<aws:PrincipalTag/${UNIT_TAG}>`, `results/<aws:PrincipalTag/${UNIT_TAG}>`],
      "The wildcard is the unit's own folder: the prefix is fixed by the caller's unit_code tag, so a unit reaches only its own files."));
  }
}
