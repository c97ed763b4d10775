/**
 * Sweeps in the editor: the inspector's form (which param, which values) and the panel that shows the
 * labelled tiles while and after the sweep runs, with the contact sheet as a PNG (graph and sweep
 * embedded, as the CLI writes it).
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { formatDuration } from '../../runtime/time-left';
import type { NodeTypeSpec, ParamSpec } from '../../graph/types';
import { useEditor, useEditorSlice, useMeta } from '../hooks';
import { MAX_SWEEP_VALUES, parseSweepValues, SweepError, sweepOfDocument, sweepText, sweepValueText, type SweepSpec } from '../store/graph-ops';
import { downloadBytes, previewPng } from '../store/sharing';
import { PreviewCanvas } from './PreviewCanvas';

export function useSweep() {
  const { sweeps } = useEditor();
  return useSyncExternalStore(sweeps.subscribe, sweeps.getSnapshot);
}

/** Values worth comparing for a param: its options, or a few around its current value. */
function suggestedValues(spec: ParamSpec, current: unknown): string {
  if (spec.type === 'string' && spec.options) return spec.options.slice(0, MAX_SWEEP_VALUES).join(', ');
  if (spec.type === 'boolean') return 'false, true';
  if ((spec.type === 'number' || spec.type === 'seed') && typeof current === 'number') {
    const integer = spec.type === 'seed' || spec.integer;
    const min = spec.type === 'number' ? spec.min : 0;
    const max = spec.type === 'number' ? spec.max : undefined;
    const candidates = spec.type === 'seed' ? [current, current + 1, current + 2] : [current / 2, current, current * 2];
    const fit = candidates
      .map((v) => (integer ? Math.round(v) : Number(v.toPrecision(4))))
      .filter((v) => (min === undefined || v >= min) && (max === undefined || v <= max));
    return [...new Set(fit)].join(', ');
  }
  return '';
}

/** The inspector's "Sweep" section for one node. */
export function SweepForm({ nodeId, def }: { nodeId: string; def: NodeTypeSpec }) {
  const editor = useEditor();
  const doc = useEditorSlice((s) => s.doc);
  const sweep = useSweep();
  const node = doc.nodes.find((n) => n.id === nodeId);
  // The document's own sweep fills the form when it is about this node.
  let named: SweepSpec | undefined;
  try {
    named = sweepOfDocument(doc);
  } catch {
    named = undefined;
  }
  const own = named?.node === nodeId ? named : undefined;
  const [param, setParam] = useState(own?.param ?? def.params[0]?.name ?? '');
  const spec = def.params.find((p) => p.name === param);
  const [values, setValues] = useState(own ? own.values.map(sweepValueText).join(', ') : spec ? suggestedValues(spec, node?.params[param]) : '');
  const [problem, setProblem] = useState<string>();
  if (!def.params.length || !node) return null;
  const running = sweep.running !== undefined;
  const start = () => {
    try {
      const parsed = parseSweepValues(doc, nodeId, param, values);
      setProblem(undefined);
      editor.panels.set({ sweep: true });
      void editor.sweeps.run(parsed);
    } catch (e) {
      if (!(e instanceof SweepError)) throw e;
      setProblem(e.message);
    }
  };
  return (
    <details className="sweep-form" data-testid="sweep-form" open={!!own}>
      <summary>Sweep: run this node over several values of one param</summary>
      <label className="param">
        <span className="param-label">param</span>
        <select data-testid="sweep-param" value={param}
          onChange={(e) => {
            setParam(e.target.value);
            const next = def.params.find((p) => p.name === e.target.value);
            if (next) setValues(suggestedValues(next, node.params[next.name]));
          }}>
          {def.params.map((p) => <option key={p.name} value={p.name}>{p.label ?? p.name}</option>)}
        </select>
      </label>
      <label className="param">
        <span className="param-label">values</span>
        <input type="text" data-testid="sweep-values" value={values} placeholder="e.g. 4, 8, 16"
          onChange={(e) => setValues(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && !running && start()} />
      </label>
      <div className="sweep-actions">
        <button data-testid="sweep-run" disabled={running} onClick={start}>▶ Sweep</button>
        <small>comma-separated, at most {MAX_SWEEP_VALUES}; one run each</small>
      </div>
      {problem && <div className="node-error" data-testid="sweep-problem">{problem}</div>}
    </details>
  );
}

/** Runs the sweep the document names (meta.sweep), from the toolbar. */
export function DocumentSweepButton() {
  const editor = useEditor();
  const doc = useEditorSlice((s) => s.doc);
  const sweep = useSweep();
  let spec: SweepSpec | undefined;
  let problem: string | undefined;
  try {
    spec = sweepOfDocument(doc);
  } catch (e) {
    problem = e instanceof Error ? e.message : String(e);
  }
  if (!spec && !problem) return null;
  return (
    <button data-testid="run-document-sweep" disabled={!spec || sweep.running !== undefined} title={problem ?? `run the graph once for each value of ${sweepText(spec!)}`}
      onClick={() => {
        editor.panels.set({ sweep: true });
        void editor.sweeps.run(spec!);
      }}>
      ▶ Sweep {spec ? spec.param : '(invalid)'}
    </button>
  );
}

/** The sweep's total time left, at the pace of its values so far (ticks every second). */
function SweepEta() {
  const editor = useEditor();
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  const ms = editor.sweeps.msLeft();
  return <span className="eta" data-testid="sweep-eta">{ms === undefined ? 'time left: known after the first value' : `≈ ${formatDuration(ms)} left in all`}</span>;
}

export function SweepPanel() {
  const editor = useEditor();
  const meta = useMeta();
  const sweep = useSweep();
  const open = useSyncExternalStore(editor.panels.subscribe, () => editor.panels.getSnapshot().sweep);
  if (!open || !sweep.spec) return null;
  const { spec } = sweep;
  const close = () => {
    editor.panels.set({ sweep: false });
    editor.sweeps.clear();
  };
  const keep = () => editor.tryEdit((d) => ({ ...d, meta: { ...d.meta, sweep: { node: spec.node, param: spec.param, values: spec.values } } }));
  const save = async (output: string) => {
    const sheet = sweep.sheets!.find((s) => s.output === output)!;
    const doc = editor.store.doc;
    const withSweep = { ...doc, meta: { ...doc.meta, sweep: { node: spec.node, param: spec.param, values: spec.values } } };
    const bytes = await previewPng(editor.sweeps.sheetImage(sheet), withSweep);
    downloadBytes(bytes, `${meta.graphName.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'graph'}-${output}-sweep.png`, 'image/png');
  };
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <section className="sweep-panel" data-testid="sweep-panel">
        <header>
          <h2>Sweep {spec.node}.{spec.param}</h2>
          {sweep.running ? (
            <button data-testid="sweep-stop" onClick={() => editor.sweeps.stop()}>■ Stop</button>
          ) : (
            <button className="icon" title="close" data-testid="sweep-close" onClick={close}>✕</button>
          )}
        </header>
        {sweep.running && (
          <p data-testid="sweep-progress">
            Running {spec.param} = {sweepValueText(spec.values[sweep.running.index])} ({sweep.running.index + 1} of {sweep.running.total})…{' '}
            <SweepEta />
          </p>
        )}
        {sweep.error && <p className="node-error" data-testid="sweep-error">{sweep.error}</p>}
        {sweep.sheets?.map((sheet) => (
          <div key={sheet.output} className="sweep-sheet" data-testid={`sweep-sheet-${sheet.output}`}>
            <h3>{sheet.output}</h3>
            <div className="sweep-tiles">
              {sheet.tiles.map((tile, i) => (
                <figure key={i} data-testid={`sweep-tile-${i}`}>
                  <PreviewCanvas preview={{ nodeId: `sweep:${i}`, ...tile.image }} />
                  <figcaption data-testid={`sweep-label-${i}`}>{tile.label}</figcaption>
                </figure>
              ))}
            </div>
            <div className="sweep-actions">
              <button data-testid={`sweep-save-${sheet.output}`} onClick={() => void save(sheet.output)}>Save sheet PNG</button>
            </div>
          </div>
        ))}
        {sweep.sheets && (
          <div className="sweep-actions">
            <button data-testid="sweep-keep" title="store this sweep in the graph (meta.sweep), so the CLI and others can run it" onClick={keep}>
              Keep this sweep in the graph
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
