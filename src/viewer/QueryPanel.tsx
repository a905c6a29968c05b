import { useId } from 'react';
import { runQuery, selectBox } from './controller';
import { queryOptions, setState, useApp, type ScoreMode } from './store';

/** Text query with history, negatives, threshold, top-k; ranked results that fly to their box. */
export function QueryPanel() {
  const id = useId();
  const queryText = useApp((s) => s.queryText);
  const history = useApp((s) => s.queryHistory);
  const negatives = useApp((s) => queryOptions(s).negatives);
  const threshold = useApp((s) => s.threshold);
  const topK = useApp((s) => queryOptions(s).topK);
  const scoreMode = useApp((s) => queryOptions(s).scoreMode);
  const lastQuery = useApp((s) => s.lastQuery);
  const boxes = useApp((s) => s.boxes);
  const selected = useApp((s) => s.selectedBox);
  const selectedTokens = useApp((s) => s.selectedTokens);
  const ready = useApp((s) => s.status === 'ready' && !!s.extraction);

  const results = boxes.filter((b) => b.source === 'query');
  return (
    <section className="panel query-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Query</h2>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          runQuery();
        }}
      >
        <label htmlFor={`${id}-text`} className="visually-hidden">
          Query text
        </label>
        <input
          id={`${id}-text`}
          data-testid="query-input"
          list={`${id}-history`}
          placeholder={ready ? 'e.g. red' : 'extract features first'}
          value={queryText}
          onChange={(e) => setState({ queryText: e.target.value })}
        />
        <datalist id={`${id}-history`}>
          {history.map((h) => (
            <option key={h} value={h} />
          ))}
        </datalist>
        <button type="submit" disabled={!ready || !queryText.trim()}>
          Search
        </button>
      </form>
      <label htmlFor={`${id}-neg`}>Negative phrases (comma-separated)</label>
      <input
        id={`${id}-neg`}
        value={negatives ?? ''}
        disabled={negatives === undefined}
        onChange={(e) => setState({ negatives: e.target.value })}
      />
      <div className="row">
        <label htmlFor={`${id}-mode`}>Score</label>
        <select
          id={`${id}-mode`}
          value={scoreMode ?? ''}
          disabled={scoreMode === undefined}
          onChange={(e) => setState({ scoreMode: e.target.value as ScoreMode })}
        >
          <option value="lerf">LERF relevancy</option>
          <option value="cosine">Cosine</option>
        </select>
        <label htmlFor={`${id}-topk`}>Top-k</label>
        <input
          id={`${id}-topk`}
          type="number"
          min={1}
          max={50}
          value={topK ?? ''}
          disabled={topK === undefined}
          onChange={(e) => setState({ topK: Math.max(1, Number(e.target.value) || 1) })}
        />
      </div>
      <div className="row">
        <input
          id={`${id}-auto`}
          type="checkbox"
          checked={threshold === undefined}
          onChange={(e) =>
            setState({ threshold: e.target.checked ? undefined : (lastQuery?.threshold ?? 0.5) })
          }
        />
        <label htmlFor={`${id}-auto`}>Automatic threshold</label>
        <label htmlFor={`${id}-thr`}>Threshold</label>
        <input
          id={`${id}-thr`}
          type="number"
          step={0.01}
          disabled={threshold === undefined}
          value={threshold ?? Number((lastQuery?.threshold ?? 0.5).toFixed(3))}
          onChange={(e) => setState({ threshold: Number(e.target.value) })}
        />
      </div>
      {lastQuery && lastQuery.confident ? (
        <p className="hint" aria-live="polite">
          “{lastQuery.text}”: {lastQuery.selectedCount.toLocaleString('en')} points above{' '}
          {lastQuery.threshold.toFixed(3)}, {lastQuery.boxes.length} boxes (
          {lastQuery.timings.groundMs.toFixed(0)} ms)
        </p>
      ) : null}
      {lastQuery && !lastQuery.confident ? (
        <p className="hint warning" aria-live="polite" data-testid="query-not-confident">
          No confident match: {lastQuery.reason ?? 'no reason given'}
        </p>
      ) : null}
      {results.length > 0 ? (
        <ol className="results" aria-label="Ranked results">
          {results.map((b) => (
            <li key={b.key}>
              <button type="button" aria-pressed={selected === b.key} onClick={() => selectBox(b)}>
                {b.label} · {b.score?.toFixed(3)}
              </button>
            </li>
          ))}
        </ol>
      ) : null}
      {selectedTokens && results.some((b) => b.key === selected) ? (
        <p className="selected-tokens">
          <span>Location tokens of the selected result:</span>
          <code data-testid="result-tokens">{selectedTokens}</code>
        </p>
      ) : null}
    </section>
  );
}
