// The web console's hosting: a private bucket read by CloudFront alone (origin access control), HTTPS with a
// strict CSP and the other security headers, the SPA fallback, config.json never cached and written at
// deploy time from the stacks' values, the sign-in URLs defaulting to the console, and the API's CORS
// allowing the console's origin (and -c webOrigins) and nothing else; the mail bucket's CORS letting the same
// origins PUT attached files, and the CSP letting the console reach it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { synthTemplates } from './build-test-app.ts';
import { logicalIdOf, type Resource, resourceOf, resourcesOfType } from './template-queries.ts';

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

describe('StatefulStack: the console hosting', () => {
  const { stateful, statefulTemplate: template } = synthTemplates();
  const hosting = stateful.console;
  const distributionId = logicalIdOf(stateful, hosting.distribution);
  const distribution = () => resourceOf(template, distributionId).Properties.DistributionConfig;
  const headers = () => resourceOf(template, logicalIdOf(stateful, hosting.headers)).Properties.ResponseHeadersPolicyConfig;

  it('keeps the files in a private, encrypted bucket that only this distribution may read, over TLS', () => {
    // Act
    const bucket = resourceOf(template, logicalIdOf(stateful, hosting.bucket));
    const policy = resourcesOfType(template, 'AWS::S3::BucketPolicy')
      .map((resource) => resource.Properties)
      .find((properties) => JSON.stringify(properties.Bucket).includes(logicalIdOf(stateful, hosting.bucket)));

    // Assert
    expect(Stack.of(hosting.bucket)).toBe(stateful);
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(resourcesOfType(template, 'AWS::CloudFront::OriginAccessControl')[0]!.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
    });
    const statements = policy!.PolicyDocument.Statement as { Effect: string; Principal: unknown; Condition?: unknown; Action: unknown }[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const reader = statements.find((statement) => JSON.stringify(statement.Principal).includes('cloudfront.amazonaws.com'))!;
    expect(reader.Action).toBe('s3:GetObject');
    expect(JSON.stringify(reader.Condition)).toContain(distributionId);
  });

  it('serves over HTTPS only, compressed, with index.html at the root', () => {
    expect(distribution()).toMatchObject({
      DefaultRootObject: 'index.html',
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https', Compress: true },
    });
  });

  it('sends strict security headers: no inline script, no framing, HSTS, no sniffing, no referrer', () => {
    // Act
    const security = headers().SecurityHeadersConfig;
    const csp: string = security.ContentSecurityPolicy.ContentSecurityPolicy['Fn::Join']
      ? JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy)
      : security.ContentSecurityPolicy.ContentSecurityPolicy;

    // Assert
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain('.amazoncognito.com');
    expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(security.FrameOptions.FrameOption).toBe('DENY');
    expect(security.ContentTypeOptions.Override).toBe(true);
    expect(security.ReferrerPolicy.ReferrerPolicy).toBe('no-referrer');
    expect(distribution().DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: logicalIdOf(stateful, hosting.headers) });
  });

  it('answers an app route with index.html and a file with itself (the SPA fallback)', () => {
    // Arrange: the CloudFront Function's own code, run as CloudFront runs it
    const fn = resourcesOfType(template, 'AWS::CloudFront::Function')[0]!;
    const handler = new Function(`${fn.Properties.FunctionCode}; return handler;`)() as (event: unknown) => { uri: string };
    const uriFor = (uri: string) => handler({ request: { uri } }).uri;

    // Act / Assert
    expect(uriFor('/tickets/01J0000000000000000000000A')).toBe('/index.html');
    expect(uriFor('/auth/callback')).toBe('/index.html');
    expect(uriFor('/')).toBe('/index.html');
    expect(uriFor('/assets/index-abc.js')).toBe('/assets/index-abc.js');
    expect(uriFor('/config.json')).toBe('/config.json');
    expect(uriFor('/favicon.svg')).toBe('/favicon.svg');
    expect(uriFor('/track/eyJwdXJwb3NlIjoidHJhY2sifQ.PKBv3Cpr')).toBe('/index.html');
    expect(distribution().DefaultCacheBehavior.FunctionAssociations).toMatchObject([{ EventType: 'viewer-request' }]);
  });

  it('never caches config.json', () => {
    expect(distribution().CacheBehaviors).toContainEqual(
      expect.objectContaining({ PathPattern: '/config.json', CachePolicyId: CACHING_DISABLED, ViewerProtocolPolicy: 'redirect-to-https' }),
    );
  });

  it('lets the console send attached files to S3 in its own region only (connect-src)', () => {
    // Act
    const csp = JSON.stringify(headers().SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);

    // Assert: the presigned URL's host is <bucket>.s3.<region>.<suffix>
    expect(csp).toMatch(/connect-src 'self' [^;]*https:\/\/\*\.s3\.",\{"Ref":"AWS::Region"\},"\.",\{"Ref":"AWS::URLSuffix"\}/);
    expect(csp).not.toContain('https://*.s3.amazonaws');
  });

  it('outputs the console URL', () => {
    template.hasOutput('ConsoleUrl', { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] } });
  });
});

describe('StatelessStack: the console deployment and CORS', () => {
  const built = synthTemplates({ context: { webOrigins: 'https://help.example.org/, http://localhost:5173' } });
  const { stateless, statelessTemplate: template } = built;
  const api = () => resourceOf(template, logicalIdOf(stateless, stateless.api)).Properties;

  it('lets browsers call the API from the console and the named origins only, and answers their preflights', () => {
    // Act
    const cors = api().CorsConfiguration;

    // Assert
    expect(cors.AllowOrigins).toHaveLength(3);
    expect(JSON.stringify(cors.AllowOrigins[0])).toContain('ConsoleDistribution');
    expect(cors.AllowOrigins.slice(1)).toEqual(['https://help.example.org', 'http://localhost:5173']);
    expect(JSON.stringify(cors.AllowOrigins)).not.toContain('"*"');
    expect(cors).toMatchObject({
      AllowCredentials: false,
      AllowHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key'],
      ExposeHeaders: ['etag', 'location', 'retry-after', 'idempotent-replayed'],
      AllowMethods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
    });
  });

  it('allows no other origin when none is named', () => {
    const { stateless: plain, statelessTemplate } = synthTemplates();
    const origins = resourceOf(statelessTemplate, logicalIdOf(plain, plain.api)).Properties.CorsConfiguration.AllowOrigins;
    expect(origins).toHaveLength(1);
    expect(JSON.stringify(origins)).toContain('ConsoleDistribution');
  });

  it('deploys the built console and a config.json naming this stage’s API and Cognito sign-in, then clears the cache', () => {
    // Arrange
    const deployment = resourcesOfType(template, 'Custom::CDKBucketDeployment')[0] as Resource;
    const configAsset = readdirSync(built.app.outdir)
      .filter((name) => name.startsWith('asset.'))
      .map((name) => join(built.app.outdir, name, 'config.json'))
      .find((file) => {
        try {
          return readFileSync(file).length > 0;
        } catch {
          return false;
        }
      });

    // Act
    const config = JSON.parse(readFileSync(configAsset!, 'utf8'));
    const markers = deployment.Properties.SourceMarkers[1] as Record<string, unknown>;
    const markerValue = (marker: string) => JSON.stringify(markers[marker]);

    // Assert: deploy-time values are markers in the file, resolved by the deployment
    expect(deployment.Properties).toMatchObject({ DistributionPaths: ['/*'], Prune: true });
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
    expect(markerValue(config.apiUrl)).toContain('ApiEndpoint');
    expect(config.signIn).toMatchObject({ mode: 'cognito' });
    expect(markerValue(config.signIn.clientId)).toContain('WebClient');
    expect(config.signIn.redirectUri).toMatch(/^https:\/\/<<marker:0xbaba:\d+>>\/auth\/callback$/);
    expect(config.organisation).toEqual({
      name: 'SMA Negeri Contoh',
      timeZone: 'Asia/Jakarta',
      defaultLanguage: 'id',
      languages: ['id', 'en'],
    });
    expect(config.teams.map((team: { id: string }) => team.id)).toContain('it-support');
    expect(JSON.stringify(config)).not.toContain('@sekolah.example');
  });
});

describe('StatefulStack: browser uploads into the mail bucket (CORS)', () => {
  it('lets the console and the named origins PUT, with the content type as the only header, and nothing else', () => {
    // Arrange
    const { stateful, statefulTemplate } = synthTemplates({ context: { webOrigins: 'https://help.example.org/' } });

    // Act
    const cors = resourceOf(statefulTemplate, logicalIdOf(stateful, stateful.mail.bucket)).Properties.CorsConfiguration;

    // Assert: one rule; S3's CORS has no prefix, the presigned URL's signature keeps the browser to uploads/
    expect(cors.CorsRules).toHaveLength(1);
    const [rule] = cors.CorsRules;
    expect(rule.AllowedMethods).toEqual(['PUT']);
    expect(rule.AllowedHeaders).toEqual(['content-type']);
    expect(rule.AllowedOrigins).toHaveLength(2);
    expect(JSON.stringify(rule.AllowedOrigins[0])).toContain('ConsoleDistribution');
    expect(rule.AllowedOrigins[1]).toBe('https://help.example.org');
    expect(JSON.stringify(rule.AllowedOrigins)).not.toContain('"*"');
    expect(rule.MaxAge).toBeGreaterThan(0);
    expect(stateful.consoleOrigins).toHaveLength(2);
  });
});

describe('sign-in URLs given by context', () => {
  it('use them instead of the console’s own, and config.json sends people back to the first', () => {
    const { stateful, statefulTemplate } = synthTemplates({
      context: { webCallbackUrls: 'https://help.example.org/auth/callback', webLogoutUrls: 'https://help.example.org/' },
    });
    expect(resourceOf(statefulTemplate, logicalIdOf(stateful, stateful.users.webClient)).Properties.CallbackURLs).toEqual([
      'https://help.example.org/auth/callback',
    ]);
    expect(stateful.webSignIn).toMatchObject({
      redirectUri: 'https://help.example.org/auth/callback',
      logoutUri: 'https://help.example.org/',
    });
  });
});
