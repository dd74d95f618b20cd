// An article's Markdown as the plain text a chat shows (the answer bot, and the words generation starts from).
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
