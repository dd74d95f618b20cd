// The administration screens, one chunk loaded on first use (only leads and administrators open them).
export { Organisation } from './organisation.tsx';
export { People } from './people.tsx';
export { RequesterRecord } from './requester.tsx';
