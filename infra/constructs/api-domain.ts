// ApiDomain: the HTTP API on the organisation's own name (help.sekolah.sch.id) instead of the
// execute-api address: an ACM certificate validated through the hosted zone, the API Gateway custom domain,
// its mapping to the API's default stage, and the DNS alias record. Links in mail then carry that name.

import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

/** The custom name and the Route 53 hosted zone it lives in (its id and name: no lookup, so synth works offline). */
export type ApiDomainName = { domainName: string; hostedZoneId: string; hostedZoneName: string };

export type ApiDomainProps = ApiDomainName & { api: apigw.IHttpApi; stage: apigw.IHttpStage };

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Refuses an unusable name at synth, naming the context value; returns the name in lower case. */
export const checkApiDomain = (value: Partial<ApiDomainName>): ApiDomainName | undefined => {
  const { domainName, hostedZoneId, hostedZoneName } = value;
  if (!domainName) {
    if (hostedZoneId || hostedZoneName)
      throw new Error('CDK context "hostedZoneId"/"hostedZoneName" is given without "domainName": name the API\'s domain too');
    return undefined;
  }
  const name = domainName.toLowerCase();
  if (!HOSTNAME.test(name)) throw new Error(`CDK context "domainName": "${domainName}" is not a host name such as help.sekolah.sch.id`);
  if (!hostedZoneId || !hostedZoneName)
    throw new Error(
      'CDK context "domainName" needs the Route 53 hosted zone it lives in: give "hostedZoneId" and "hostedZoneName" too ' +
        '(the certificate is validated and the DNS record written there)',
    );
  const zone = hostedZoneName.toLowerCase().replace(/\.$/, '');
  if (name !== zone && !name.endsWith(`.${zone}`))
    throw new Error(`CDK context "domainName": "${domainName}" is not inside the hosted zone "${hostedZoneName}" (hostedZoneName)`);
  return { domainName: name, hostedZoneId, hostedZoneName: zone };
};

export class ApiDomain extends Construct {
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiDomainProps) {
    super(scope, id);
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: props.hostedZoneId,
      zoneName: props.hostedZoneName,
    });
    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: props.domainName,
      validation: acm.CertificateValidation.fromDns(zone),
    });
    const domain = new apigw.DomainName(this, 'DomainName', { domainName: props.domainName, certificate });
    new apigw.ApiMapping(this, 'Mapping', { api: props.api, domainName: domain, stage: props.stage });
    new route53.ARecord(this, 'Alias', {
      zone,
      recordName: props.domainName,
      target: route53.RecordTarget.fromAlias(
        new route53targets.ApiGatewayv2DomainProperties(domain.regionalDomainName, domain.regionalHostedZoneId),
      ),
    });
    this.url = `https://${props.domainName}`;
  }
}
