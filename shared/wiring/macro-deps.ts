// Builds the macros' ports once per cold start: the ticket services' ports (a macro is applied as a ticket
// change) and the macro store on the same table.
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { createMacroStore } from '#shared/adapters/macro-store.ts';
import type { ApplyMacroDeps } from '#shared/domain/macros/apply-macro.ts';
import type { MacroDeps } from '#shared/domain/macros/macros.ts';
import { ticketDeps } from './ticket-deps.ts';

let deps: (ApplyMacroDeps & MacroDeps) | undefined;

export const macroDeps = (): ApplyMacroDeps & MacroDeps =>
  (deps ??= { ...ticketDeps(), macros: createMacroStore(dynamoDocumentClient(), tableName()) });
