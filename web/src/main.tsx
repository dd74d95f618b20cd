// Start: read /config.json (API URL, sign-in, organisation), pick the language, render the shell.
import { render } from 'preact';
import { App, ConfigFailed } from './app.tsx';
import { loadConsoleConfig } from './config.ts';
import { initLanguage } from './i18n.ts';
import './styles.css';

const root = document.getElementById('app')!;
// The boot text is static HTML; the app replaces it.
const start = () => root.replaceChildren();

loadConsoleConfig().then(
  (loaded) => {
    initLanguage(loaded.organisation.defaultLanguage);
    start();
    render(<App />, root);
  },
  () => {
    start();
    render(<ConfigFailed />, root);
  },
);
