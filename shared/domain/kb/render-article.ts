// Markdown out of the knowledge base: HTML for the console and the public pages, plain text for chat.
// micromark is CommonMark-exact and safe by default: raw HTML in an article is escaped (shown, never run)
// and links with a dangerous protocol (javascript:, data:, …) lose their href. No sanitizer pass is needed
// after it, so no DOM library (DOMPurify needs jsdom on a server) goes into the functions.
import { micromark } from 'micromark';

export const renderMarkdown = (markdown: string): string => micromark(markdown);

/** The text a chat shows: emphasis and code marks dropped, links as "text (url)", paragraphs and list items
 *  on lines of their own, a paragraph's wrapped lines joined. */
export const plainText = (markdown: string): string =>
  markdown
    .replace(/([^\n])\n[ \t]*(?!(?:[-*+]|\d+[.)])[ \t])(?=\S)/g, '$1 ')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1 ($2)')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_](\S(?:.*?\S)?)[*_](?=[\s).,!?:;]|$)/gm, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
