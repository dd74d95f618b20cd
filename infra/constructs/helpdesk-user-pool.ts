// HelpdeskUserPool: who may call the API. A Cognito user pool (sign-in by email; requesters sign themselves
// up, staff are invited), the groups that are the helpdesk's roles, the custom attribute that carries an
// agent's teams, a resource server whose scopes machine clients ask for, the hosted sign-in domain, and two
// app clients: the web (authorization code + PKCE, no secret) and machine clients (client credentials).
// It lives in the stateful stack: users, their passwords and MFA devices, and the machine client's secret
// that other systems have configured must all outlive any deployment of the code.
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES, type Role } from '#shared/domain/access/identity.ts';
import { pascal } from './names.ts';

/** The custom attribute an agent's teams are kept in; tokens carry it as the claim `custom:teams`. */
export const TEAMS_ATTRIBUTE = 'teams';

/** The resource server's identifier: machine clients ask for `helpdesk/<scope>`. */
export const RESOURCE_SERVER_ID = 'helpdesk';

/** Scopes a machine client is granted (the client credentials flow needs at least one). */
export const MACHINE_SCOPES = {
  'tickets.write': 'File tickets and comment on them',
  'tickets.read': 'Read the tickets the client filed, and their public history',
} as const;

/** What each group is for (the app takes the most powerful group; no group at all is a requester). */
export const GROUP_DESCRIPTIONS: Record<Role, string> = {
  requester: 'Files tickets and follows their own (the same as having no group)',
  agent: "Works the tickets of the teams in the user's custom:teams attribute",
  lead: 'Team lead: all tickets, reassignment across teams, reports',
  admin: 'Everything, including erasing a requester',
};

/** Cognito's feature plan: `essentials` (default), or `plus` for threat protection (billed per MAU, no free tier). */
export type UserPoolPlan = 'essentials' | 'plus';

/** Who sends Cognito's own mails (verification codes, invitations, password resets). */
export type UserPoolEmailSender = 'cognito' | 'ses';

export type HelpdeskUserPoolProps = {
  /** Deployment stage; part of the hosted domain's prefix. */
  stage: string;
  /** Where the hosted sign-in page may send the browser back to with a code (the web app). */
  callbackUrls: string[];
  /** Where the hosted sign-out may send the browser back to. */
  logoutUrls: string[];
  plan?: UserPoolPlan;
  /**
   * `cognito` (default): Cognito's own mailer, limited to 50 mails a day per account: enough to start.
   * `ses`: from `no-reply@<senderDomain>` through SES, once that domain is verified in SES (the stateful
   * stack's mail identity, DKIM records published).
   */
  emailSender?: UserPoolEmailSender;
  /** The sender's domain (needed for `emailSender: 'ses'`). */
  senderDomain: string;
  /** The organisation's name, as the sender's display name of Cognito's mails through SES. */
  organisationName: string;
};

/** The web client's tokens: an hour for ID and access tokens (the API reads the ID token), a week to refresh. */
export const WEB_TOKEN_VALIDITY = { id: Duration.hours(1), access: Duration.hours(1), refresh: Duration.days(7) };
/** A machine client's access token: an hour. Each token request is billed, so clients reuse a token until it expires. */
export const MACHINE_TOKEN_VALIDITY = Duration.hours(1);

/** Cognito refuses a domain prefix holding these words. */
const RESERVED_DOMAIN_WORDS = ['aws', 'amazon', 'cognito'];

/** `helpdesk-<stage>-<account id>`: unique per stage and account, known offline as a token. */
export const domainPrefixFor = (stage: string) => {
  const reserved = RESERVED_DOMAIN_WORDS.find((word) => stage.includes(word));
  if (reserved) {
    throw new Error(`CDK context "stage" is part of the Cognito sign-in domain, which may not contain "${reserved}"; got "${stage}"`);
  }
  return `helpdesk-${stage}-${Aws.ACCOUNT_ID}`;
};

/** Callback and sign-out URLs Cognito accepts: https, or http only for localhost. */
export const checkRedirectUrls = (contextKey: string, urls: string[]): string[] => {
  if (urls.length === 0) throw new Error(`CDK context "${contextKey}" names no URL`);
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`CDK context "${contextKey}": "${url}" is not a URL`);
    }
    const local = parsed.hostname === 'localhost' || parsed.hostname === '127.0.0.1';
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local)) {
      throw new Error(`CDK context "${contextKey}": "${url}" must be https (http is allowed for localhost only)`);
    }
    if (parsed.hash) throw new Error(`CDK context "${contextKey}": "${url}" may not have a #fragment`);
  }
  return urls;
};

// Requester-facing texts are in Indonesian and English (DESIGN §6). Cognito sends them as HTML.
const VERIFICATION_EMAIL = {
  subject: 'Kode verifikasi Helpdesk / Helpdesk verification code',
  body:
    '<p>Kode verifikasi Anda: <b>{####}</b></p>' +
    '<p>Your verification code: <b>{####}</b></p>' +
    '<p>Abaikan surel ini jika Anda tidak mendaftar. / Ignore this mail if you did not sign up.</p>',
};
const INVITATION_EMAIL = {
  subject: 'Akun Helpdesk Anda / Your Helpdesk account',
  body:
    '<p>Akun Helpdesk Anda sudah dibuat. Nama pengguna: <b>{username}</b>, kata sandi sementara: <b>{####}</b>. ' +
    'Anda akan diminta membuat kata sandi baru saat pertama kali masuk.</p>' +
    '<p>Your Helpdesk account has been created. User name: <b>{username}</b>, temporary password: <b>{####}</b>. ' +
    'You will choose a new password when you first sign in.</p>',
};

export class HelpdeskUserPool extends Construct {
  readonly userPool: cognito.UserPool;
  /** By role name: `requester`, `agent`, `lead`, `admin`. */
  readonly groups: ReadonlyMap<Role, cognito.UserPoolGroup>;
  readonly resourceServer: cognito.UserPoolResourceServer;
  readonly domain: cognito.UserPoolDomain;
  /** The browser app: authorization code with PKCE, no secret. */
  readonly webClient: cognito.UserPoolClient;
  /** Other systems (ERP, monitoring, a school information system): client credentials with a secret. */
  readonly machineClient: cognito.UserPoolClient;
  /** `https://cognito-idp.<region>.amazonaws.com/<user pool id>`: the `iss` of every token the pool issues. */
  readonly issuer: string;
  /** The clients whose tokens the API accepts (the JWT authorizer's audience). */
  readonly clients: cognito.UserPoolClient[];

  constructor(scope: Construct, id: string, props: HelpdeskUserPoolProps) {
    super(scope, id);
    const plan = props.plan ?? 'essentials';
    const stack = Stack.of(this);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Email is the user name (case-insensitive). Both are fixed when the pool is created: changing them
      // later means a new pool, and every user signing up again.
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      // Requesters sign themselves up and prove their address with a code; staff are invited by an admin
      // (README) and put in their group. Nobody can put themselves in a group or change their teams (the web
      // client may not write custom:teams, below).
      selfSignUpEnabled: true,
      autoVerify: { email: true },
      // A changed address takes effect only once its code is confirmed; until then the old one still signs in.
      keepOriginal: { email: true },
      userVerification: {
        emailStyle: cognito.VerificationEmailStyle.CODE,
        emailSubject: VERIFICATION_EMAIL.subject,
        emailBody: VERIFICATION_EMAIL.body,
      },
      userInvitation: { emailSubject: INVITATION_EMAIL.subject, emailBody: INVITATION_EMAIL.body },
      customAttributes: {
        // Comma-separated team ids (`it-support,facilities`), read by shared/http/identity-from-claims.ts.
        // 2048 is Cognito's maximum; a custom attribute's limits cannot be changed after it is created.
        [TEAMS_ATTRIBUTE]: new cognito.StringAttribute({ minLen: 0, maxLen: 2048, mutable: true }),
      },
      // cdk-nag COG1: at least 8 characters with upper case, lower case, digits and symbols; we ask for 12.
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      // Optional TOTP (an authenticator app); no SMS (no SMS role, no per-message cost, no SIM-swap risk).
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false, email: false },
      // A lost password is recovered through the verified address only (no phone numbers are kept).
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: plan === 'plus' ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      ...(plan === 'plus' ? { standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      email:
        props.emailSender === 'ses'
          ? cognito.UserPoolEmail.withSES({
              fromEmail: `no-reply@${props.senderDomain}`,
              fromName: props.organisationName,
              sesVerifiedDomain: props.senderDomain,
              // The stack's own region (a deploy-time token): SES and the pool are in the same region.
              sesRegion: stack.region,
            })
          : cognito.UserPoolEmail.withCognito(),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP, an authenticator app), not required: requesters are pupils, parents and members ' +
        'of the public who sign up to file a ticket, and requiring an authenticator app would turn many of them ' +
        'away to email or the phone. Cognito sets MFA for the whole pool, not per group; staff should enrol an ' +
        'authenticator (the web client may manage its own user for that), and passwords are strong (COG1) either way.',
    });
    if (plan !== 'plus') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          'The Plus feature plan (threat protection: compromised-credential checks, adaptive authentication) ' +
          'is billed for every monthly active user with no free tier, while Essentials includes a monthly free ' +
          'tier of active users; for a school or office with thousands of occasional requesters Plus would turn ' +
          'free sign-in into the largest line of the helpdesk bill. Essentials keeps the strong password policy, ' +
          'password history and optional TOTP. Deploy with -c userPoolPlan=plus to turn threat protection on (enforced).',
      });
    }

    // The roles of shared/domain/access/identity.ts. Precedence only matters to Cognito for IAM role mapping
    // (unused); it is set so the console lists the most powerful group first.
    const groups = new Map<Role, cognito.UserPoolGroup>();
    [...ROLES].reverse().forEach((role, precedence) => {
      groups.set(
        role,
        this.userPool.addGroup(`${pascal(role)}Group`, { groupName: role, description: GROUP_DESCRIPTIONS[role], precedence }),
      );
    });
    this.groups = groups;

    const scopes = Object.entries(MACHINE_SCOPES).map(
      ([scopeName, scopeDescription]) => new cognito.ResourceServerScope({ scopeName, scopeDescription }),
    );
    this.resourceServer = this.userPool.addResourceServer('ApiResourceServer', {
      identifier: RESOURCE_SERVER_ID,
      userPoolResourceServerName: 'Helpdesk API',
      scopes,
    });

    // The classic hosted UI: it needs no branding resources (managed login v2 needs one per client).
    this.domain = this.userPool.addDomain('SignInDomain', {
      cognitoDomain: { domainPrefix: domainPrefixFor(props.stage) },
      managedLoginVersion: cognito.ManagedLoginVersion.CLASSIC_HOSTED_UI,
    });

    this.webClient = this.userPool.addClient('WebClient', {
      userPoolClientName: 'helpdesk-web',
      // A browser cannot keep a secret: a public client, authorization code flow with PKCE (the code
      // verifier is the browser's; Cognito checks it whenever the request carried a challenge).
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        // COGNITO_ADMIN lets the signed-in user manage their own account from the web app (change the password,
        // enrol a TOTP authenticator, edit what writeAttributes allows), whichever way they signed in.
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE, cognito.OAuthScope.COGNITO_ADMIN],
        callbackUrls: props.callbackUrls,
        logoutUrls: props.logoutUrls,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: WEB_TOKEN_VALIDITY.id,
      accessTokenValidity: WEB_TOKEN_VALIDITY.access,
      refreshTokenValidity: WEB_TOKEN_VALIDITY.refresh,
      // The ID token (which the API reads) carries these. Through this client a user writes their address
      // (a required attribute: sign-up must be able to write it; a change takes effect once verified, see
      // keepOriginal) and their name, never their teams: those are set by an admin (README), or anyone could
      // join any team's queue. Unlisted, every attribute would be writable.
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(TEAMS_ATTRIBUTE),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });

    const machineScopes = scopes.map((scope) => cognito.OAuthScope.resourceServer(this.resourceServer, scope));
    this.machineClient = this.userPool.addClient('MachineClient', {
      userPoolClientName: 'helpdesk-machine',
      generateSecret: true,
      oAuth: { flows: { clientCredentials: true }, scopes: machineScopes },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: MACHINE_TOKEN_VALIDITY,
    });
    this.clients = [this.webClient, this.machineClient];

    this.issuer = `https://cognito-idp.${stack.region}.amazonaws.com/${this.userPool.userPoolId}`;

    const baseUrl = this.domain.baseUrl();
    new CfnOutput(stack, 'UserPoolId', { value: this.userPool.userPoolId, description: 'Cognito user pool of the helpdesk' });
    new CfnOutput(stack, 'UserPoolIssuer', { value: this.issuer, description: 'Issuer (iss) of the tokens the API accepts' });
    new CfnOutput(stack, 'WebClientId', {
      value: this.webClient.userPoolClientId,
      description: 'App client of the web app (code + PKCE, no secret)',
    });
    new CfnOutput(stack, 'MachineClientId', {
      value: this.machineClient.userPoolClientId,
      description: 'App client for other systems (client credentials; read its secret with describe-user-pool-client)',
    });
    new CfnOutput(stack, 'SignInDomain', { value: baseUrl, description: 'Hosted sign-in domain (/login, /logout, /oauth2/token)' });
    new CfnOutput(stack, 'TokenEndpoint', { value: `${baseUrl}/oauth2/token`, description: 'Where machine clients get tokens' });
  }
}
