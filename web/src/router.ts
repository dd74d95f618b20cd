// Client-side routes on the History API: a handful of paths, so a few lines rather than a router library.
import { signal } from './state.ts';

export const location$ = signal(window.location.pathname + window.location.search);

export const navigate = (to: string, options: { replace?: boolean } = {}) => {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  location$.set(to);
};

window.addEventListener('popstate', () => location$.set(window.location.pathname + window.location.search));

/** `/tickets/:id` against `/tickets/01J…` → `{ id: '01J…' }`, or undefined. */
export const match = (pattern: string, path: string): Record<string, string> | undefined => {
  const names: string[] = [];
  const regex = new RegExp(
    `^${pattern.replace(/:(\w+)/g, (_, name: string) => {
      names.push(name);
      return '([^/?]+)';
    })}(?:\\?.*)?$`,
  );
  const found = regex.exec(path);
  if (!found) return undefined;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(found[index + 1] ?? '')]));
};

/** An ordinary link that moves within the app without a page load (a modified click opens a tab as usual). */
export const onLinkClick = (event: MouseEvent & { currentTarget: HTMLAnchorElement }) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const href = event.currentTarget.getAttribute('href');
  if (!href?.startsWith('/')) return;
  event.preventDefault();
  navigate(href);
};
