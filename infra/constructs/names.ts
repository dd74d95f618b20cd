// Construct-id helpers shared by the stacks, so every handler's resources are named the same way.

/** `create-ticket` → `CreateTicket`: construct ids stay readable in the console and in cdk-nag reports. */
export const pascal = (kebab: string) =>
  kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
