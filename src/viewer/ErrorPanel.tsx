import { dismissError, useApp } from './store';

/** Errors from any stage, as plain text, each dismissable. */
export function ErrorPanel() {
  const errors = useApp((s) => s.errors);
  if (errors.length === 0) return null;
  return (
    <div className="error-panel" role="alert" aria-label="Errors">
      {errors.map((e) => (
        <div key={e.id} className="error-item">
          <span className="error-text">{e.message}</span>
          <button type="button" onClick={() => dismissError(e.id)} aria-label="Dismiss error">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
