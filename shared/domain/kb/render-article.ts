// An article's Markdown as HTML, for the console and the public pages: rendered when a version is written and
// kept with it (manage-articles.ts), so reading an article renders nothing. micromark is CommonMark-exact and safe
// by default: raw HTML in an article is escaped (shown, never run) and links with a dangerous protocol
// (javascript:, data:, …) lose their href. No sanitizer pass is needed after it, so no DOM library (DOMPurify
// needs jsdom on a server) goes into the functions. A lazy module (infra/constructs/function-bundling.ts):
// micromark and its HTML entity table (~90 KiB) are read by the functions that write an article, when they do.
import { micromark } from 'micromark';

export const renderMarkdown = (markdown: string): string => micromark(markdown);
