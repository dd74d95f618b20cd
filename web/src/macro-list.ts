// The macros the caller may apply (GET /macros), read once per page load and shared by the ticket page's macro
// panel and the macros screen (which forgets the list when it writes one), and a macro's changes in words.
import type { Macro } from '#shared/domain/macros/macros.ts';
import { request } from './api.ts';
import { staffStatus } from './components.tsx';
import { config } from './config.ts';
import { nameOf } from './format.ts';
import { t, tKey } from './i18n.ts';
import { fieldName } from './ticket-fields.ts';

let macroList: Promise<Macro[]> | undefined;
export const macros = () =>
  (macroList ??= request<{ items: Macro[] }>('/macros').then(
    (reply) => reply.data.items,
    () => {
      macroList = undefined;
      return [];
    },
  ));

/** A macro's changes in words: "Status → Menunggu pemohon", "Tag + wifi-lab". */
export const macroChanges = (macro: Macro): string[] => {
  const actions = macro.actions;
  const lines: string[] = [];
  if (actions.status) lines.push(`${t('agent.status')} → ${staffStatus(actions.status)}`);
  if (actions.priority) lines.push(`${t('agent.priority')} → ${tKey(`priority.${actions.priority}`)}`);
  if (actions.category) lines.push(`${t('agent.category')} → ${nameOf('categories', actions.category)}`);
  if (actions.team) lines.push(`${t('agent.team')} → ${nameOf('teams', actions.team)}`);
  if (actions.assignee) lines.push(`${t('agent.assignee')} → ${t(actions.assignee === 'me' ? 'macro.assignMe' : 'agent.unassigned')}`);
  if (actions.addTags?.length) lines.push(`${t('tags.title')} + ${actions.addTags.join(', ')}`);
  if (actions.removeTags?.length) lines.push(`${t('tags.title')} − ${actions.removeTags.join(', ')}`);
  for (const [id, value] of Object.entries(actions.fields ?? {})) {
    const field = config().customFields.find((candidate) => candidate.id === id);
    lines.push(`${field ? fieldName(field) : id} → ${value ?? '—'}`);
  }
  return lines;
};

/** After a macro is written or deleted: the next read asks the API again. */
export const forgetMacros = () => {
  macroList = undefined;
};
