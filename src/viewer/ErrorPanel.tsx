import { dismissError, useApp } from './store';

/**
 * Errors from any stage, as plain text (React escapes it: a file's content is never HTML), each
 * dismissable: the error's type, where (file and line, column or byte) and the message.
 */
export function ErrorPanel() {
  const errors = useApp((s) => s.errors);
  const dropped = useApp((s) => s.droppedErrors);
  if (errors.length === 0) return null;
  return (
    <div className="error-panel" role="alert" aria-label="Errors">
      {dropped > 0 ? (
        <div className="error-item error-dropped">
          {dropped.toLocaleString('en')} earlier errors not shown
        </div>
      ) : null}
      {errors.map((e) => (
        <div key={e.id} className="error-item">
          <span className="error-text">
            {e.where ? (
              <span className="error-where" data-testid="error-where">
                {e.where}
              </span>
            ) : null}
            {e.message}
          </span>
          <button type="button" onClick={() => dismissError(e.id)} aria-label="Dismiss error">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
