// ConsoleHosting: where the web console is served from. A private S3 bucket read only by CloudFront (origin
// access control), a distribution over HTTPS with the console's security headers (strict CSP, HSTS, no
// framing) and the SPA fallback (a path that names no file gets index.html), and config.json never cached.
// It lives in the stateful stack: its address (the distribution's domain) is what the user pool's callback
// URLs and the API's CORS origin are made from, and what people bookmark. The files themselves are deployed
// by the stateless stack (ConsoleDeployment) with the code and the API's URL.
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CONSOLE_HEADERS, consoleCsp } from '#shared/console/console-headers.ts';

export type ConsoleHostingProps = {
  /** Cognito's hosted sign-in origin (`https://<prefix>.auth.<region>.amazoncognito.com`): the console calls its token endpoint. */
  signInOrigin: string;
};

/**
 * Files are the build's assets and the few files at the root (index.html, config.json, favicon.svg); any other
 * path is a route of the app (`/tickets/01J…`, `/auth/callback`, `/track/<token with dots>`): index.html.
 */
const SPA_FALLBACK = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.indexOf('/assets/') !== 0 && !/^\\/[^\\/]+\\.[A-Za-z0-9]+$/.test(uri)) request.uri = '/index.html';
  return request;
}`;

export class ConsoleHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly headers: cloudfront.ResponseHeadersPolicy;
  /** `https://<id>.cloudfront.net`, no trailing slash. */
  readonly url: string;
  /** The bucket's ARN as a named export: the deployment's policy names it, and its cdk-nag acknowledgement too. */
  readonly bucketArnExportName: string;
  readonly exportedBucketArn: string;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const region = Stack.of(this).region;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Built files only, redeployed with every release: nothing to keep once the stack is gone, but the
      // stateful stack retains what it holds; an emptied bucket costs nothing.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the built console (public by nature: the same files every visitor downloads) and is ' +
        'read only by CloudFront through origin access control; object-level access logs would record nothing worth ' +
        'keeping. The deployment writes it; CloudTrail management events show that.',
    });

    this.headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Helpdesk console: strict CSP, HSTS, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        // The API is created later, in the stateless stack (its id is not known here): any HTTP API of this
        // region. Attached files are PUT to the mail bucket's presigned URLs (virtual-hosted: <bucket>.s3.<region>);
        // naming that bucket would be a cycle (its CORS rule names this distribution): any bucket of this region.
        // No script runs but the console's own ('self'), which is what keeps injected script out.
        contentSecurityPolicy: {
          contentSecurityPolicy: consoleCsp([
            `https://*.execute-api.${region}.${Aws.URL_SUFFIX}`,
            props.signInOrigin,
            `https://*.s3.${region}.${Aws.URL_SUFFIX}`,
          ]),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, preload: false, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: CONSOLE_HEADERS['permissions-policy'], override: true },
          { header: 'Cross-Origin-Opener-Policy', value: CONSOLE_HEADERS['cross-origin-opener-policy'], override: true },
        ],
      },
    });

    const origin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const fallback = new cloudfront.Function(this, 'SpaFallback', {
      code: cloudfront.FunctionCode.fromInline(SPA_FALLBACK),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Helpdesk console: app routes get index.html',
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Helpdesk web console',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      defaultBehavior: {
        origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        compress: true,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        functionAssociations: [{ function: fallback, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        // Written at each deployment (API URL, user pool): never served from a cache.
        '/config.json': {
          origin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          compress: true,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          responseHeadersPolicy: this.headers,
        },
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
    const stack = Stack.of(this);
    this.bucketArnExportName = `${stack.stackName}-ConsoleBucketArn`;
    this.exportedBucketArn = stack.exportValue(this.bucket.bucketArn, { name: this.bucketArnExportName });

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'A school helpdesk is used by its people wherever they are (at home, travelling); no country is refused.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The distribution serves static files only (no API behind it: the API has its own throttling); a WAF web ACL ' +
        'would cost more each month than the whole idle helpdesk. Add one when the console gets a custom domain.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason:
        'Access logs of static file downloads say nothing the API access logs do not; standard logging needs an ' +
        'ACL-enabled log bucket, which the account-wide S3 setting of Object Ownership forbids here.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The default *.cloudfront.net certificate cannot be pinned to TLS 1.2 by CloudFormation (the policy applies to ' +
        'custom certificates only); minimumProtocolVersion is set for the day a custom domain and certificate are added.',
    });

    new CfnOutput(stack, 'ConsoleUrl', { value: this.url, description: 'The web console (CloudFront)' });
  }
}
