// Where erasure learns the other ids of a person beyond the desk's own records: the user pool, when the
// function is told which (USER_POOL_ID, set by CDK on the erasure function). The sandbox has no user pool,
// so there erasure follows the contacts recorded on the person's tickets only.
import { userPoolLinks } from '#shared/adapters/user-pool-links.ts';
import { USER_POOL_ID_ENV } from '#shared/adapters/user-pool-staff.ts';
import type { IdentityLinks } from '#shared/domain/privacy/erase-requester.ts';

let links: IdentityLinks | undefined;

export const identityLinks = (country: string): IdentityLinks | undefined => {
  const userPoolId = process.env[USER_POOL_ID_ENV];
  return userPoolId ? (links ??= userPoolLinks(userPoolId, country)) : undefined;
};
