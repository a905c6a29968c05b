import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { appSnapshot, type AppSnapshot } from './viewer/app-snapshot';
import { App } from './viewer/App';
import { openBuiltIn, startWorker } from './viewer/controller';
import { getState } from './viewer/store';
import './viewer/styles.css';

declare global {
  interface Window {
    /** Read-only snapshot of the app state, for end-to-end tests. */
    readonly __app: AppSnapshot;
  }
}

Object.defineProperty(window, '__app', { get: appSnapshot, configurable: true });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

startWorker().then(() => {
  const first = getState().scenes[0];
  if (first) return openBuiltIn(first.id);
});
