import { useId, useState } from 'react';
import { CappedList } from './CappedList';
import { showTokenBoxes } from './controller';
import { reportError, useApp } from './store';

/** Paste LLM output with <locK> tokens to see its boxes; copy the tokens of a selected box. */
export function TokensPanel() {
  const id = useId();
  const [text, setText] = useState('');
  const [copied, setCopied] = useState(false);
  const diagnostics = useApp((s) => s.tokenDiagnostics);
  const omitted = useApp((s) => s.tokenDiagnosticsOmitted);
  const selectedTokens = useApp((s) => s.selectedTokens);
  const selectedLabel = useApp((s) => s.boxes.find((b) => b.key === s.selectedBox)?.label);
  const hasScene = useApp((s) => !!s.cloud);
  const tokenBoxes = useApp((s) => s.boxes.filter((b) => b.source === 'tokens').length);

  const copy = async () => {
    if (!selectedTokens) return;
    try {
      await navigator.clipboard.writeText(selectedTokens);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch (err) {
      reportError(err);
    }
  };

  return (
    <section className="panel tokens-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Location tokens</h2>
      <label htmlFor={`${id}-text`}>LLM output with &lt;locK&gt; tokens</label>
      <textarea
        id={`${id}-text`}
        rows={3}
        value={text}
        placeholder="the red chair <loc12><loc40><loc3><loc30><loc77><loc21>"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) showTokenBoxes(text);
        }}
      />
      <button
        type="button"
        disabled={!hasScene || !text.trim()}
        onClick={() => showTokenBoxes(text)}
      >
        Show boxes
      </button>
      <p className="hint" aria-live="polite">
        {tokenBoxes} box{tokenBoxes === 1 ? '' : 'es'} from tokens
      </p>
      <CappedList
        items={diagnostics}
        omitted={omitted}
        className="diagnostics"
        label="Token diagnostics"
        render={(d) => d}
      />
      {selectedTokens ? (
        <div className="selected-tokens">
          <span>{selectedLabel ?? 'Selected box'}:</span>
          <code data-testid="selected-tokens">{selectedTokens}</code>
          <button type="button" onClick={copy}>
            {copied ? 'Copied' : 'Copy tokens'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
