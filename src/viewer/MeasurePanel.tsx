import { useId } from 'react';
import { measure } from './pick-point';
import { setState, useApp, type AppState, type PickedPointState, type PickMode } from './store';

const MODES: { value: PickMode; label: string }[] = [
  { value: 'boxes', label: 'Select boxes' },
  { value: 'point', label: 'Pick a point' },
  { value: 'distance', label: 'Measure distance' },
];

const metres = (v: number) => `${v.toFixed(3)} m`;

/** What is known about one displayed point: score, segment, views, GT instance. */
function pointFacts(s: AppState, index: number): string[] {
  const facts: string[] = [];
  const score = s.scores?.values[index];
  if (score !== undefined && Number.isFinite(score)) facts.push(`score ${score.toFixed(3)}`);
  const segment = s.segmentIds?.ids[index];
  if (segment !== undefined) facts.push(segment >= 0 ? `segment ${segment}` : 'no segment');
  const views = s.viewCounts?.values[index];
  if (views !== undefined && Number.isFinite(views)) facts.push(`${views} views`);
  const instance = s.cloud?.instanceIds?.[index];
  if (instance !== undefined && instance >= 0) facts.push(`GT instance ${instance}`);
  return facts;
}

function PointRow({ pick, name }: { pick: PickedPointState; name: string }) {
  const facts = useApp((s) => pointFacts(s, pick.index).join(' · '));
  return (
    <p className="pick-row" data-testid="pick-info" data-index={pick.index}>
      {name} #{pick.index}: ({pick.position.map((v) => v.toFixed(3)).join(', ')}) m
      {facts ? <span className="pick-facts"> · {facts}</span> : null}
    </p>
  );
}

/** Point picking and measuring: the click mode, the picked points and the measurement. */
export function MeasurePanel() {
  const id = useId();
  const mode = useApp((s) => s.pickMode);
  const picks = useApp((s) => s.picks);
  const up = useApp((s) => s.scene?.up) ?? [0, 0, 1];
  const m = picks.length === 2 ? measure(picks[0].position, picks[1].position, up) : undefined;
  const hint =
    mode === 'point'
      ? 'Click a point in the view.'
      : mode === 'distance'
        ? picks.length === 1
          ? 'Click the second point.'
          : 'Click two points in the view.'
        : undefined;
  return (
    <section className="panel measure-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Measure</h2>
      <fieldset className="row">
        <legend>Click in the view</legend>
        {MODES.map((o) => (
          <label key={o.value}>
            <input
              type="radio"
              name={`${id}-mode`}
              value={o.value}
              checked={mode === o.value}
              onChange={() => setState({ pickMode: o.value, picks: [] })}
            />
            {o.label}
          </label>
        ))}
      </fieldset>
      {hint ? <p className="hint">{hint}</p> : null}
      {picks.map((p, i) => (
        <PointRow
          key={`${i}-${p.index}`}
          pick={p}
          name={picks.length === 2 ? `P${i + 1}` : 'Point'}
        />
      ))}
      {m ? (
        <dl className="measurement" data-testid="measurement" data-distance={m.distance}>
          <dt>Distance</dt>
          <dd>{metres(m.distance)}</dd>
          <dt>Height</dt>
          <dd>{metres(m.height)}</dd>
          <dt>Horizontal</dt>
          <dd>{metres(m.horizontal)}</dd>
        </dl>
      ) : null}
      {picks.length > 0 ? (
        <button type="button" onClick={() => setState({ picks: [] })}>
          Clear picks
        </button>
      ) : null}
    </section>
  );
}
