// The People screen's ports: the staff directory's, and the user pool it administers: Cognito on AWS
// (USER_POOL_ID, set by CDK on the routes that change people), the sandbox's file locally.
import { createLocalPoolAdmin, LOCAL_USER_POOL_FILE_ENV } from '#shared/adapters/local-user-pool.ts';
import { createCognitoPoolAdmin } from '#shared/adapters/user-pool-admin.ts';
import { USER_POOL_ID_ENV } from '#shared/adapters/user-pool-staff.ts';
import type { PeopleDeps } from '#shared/domain/people/manage-people.ts';
import type { UserPoolAdmin } from '#shared/domain/people/people.ts';
import { staffDeps } from './staff-deps.ts';

let pool: UserPoolAdmin | undefined;

const userPool = (): UserPoolAdmin => {
  const userPoolId = process.env[USER_POOL_ID_ENV];
  if (userPoolId) return createCognitoPoolAdmin(userPoolId);
  const file = process.env[LOCAL_USER_POOL_FILE_ENV];
  if (file) return createLocalPoolAdmin(file);
  throw new Error(`neither ${USER_POOL_ID_ENV} nor ${LOCAL_USER_POOL_FILE_ENV} is set`);
};

export const peopleDeps = (): PeopleDeps => ({ ...staffDeps(), pool: (pool ??= userPool()) });
