/** One parameter's widget: slider + number, select, seed with dice, image picker, decoder name, checkbox, text. */
import { useEffect, useState, type KeyboardEvent } from 'react';
import { dataUrlBytes, isDataUrl } from '../../graph/embedded-images';
import { INVERTER_EXPLANATION, INVERTER_LABEL, isInverterDecoder } from '../../formats/inverter-decoder';
import type { ParamSpec, ParamValue } from '../../graph/types';
import { describeSource, type WiredSetting } from '../../nodes/patch-wiring';
import { formatKB } from '../store/link-images';
import { useEditor } from '../hooks';
import type { DecoderView } from '../store/decoder-shelf';
import type { DecoderChoice } from '../store/editor';
import { DecoderThumbs } from './DecoderThumbs';
import { parseNumberDraft, stepValue, type NumericSpec } from '../number-input';
import { MAX_SEED } from '../store/graph-ops';

export interface ParamWidgetProps {
  nodeId: string;
  spec: ParamSpec;
  value: ParamValue | undefined;
  onChange(value: ParamValue): void;
  /** Set by a wire instead (Fig. 2 wiring): shown with where it comes from, not editable. */
  wired?: WiredSetting;
}

export function ParamWidget({ nodeId, spec, value, onChange, wired }: ParamWidgetProps) {
  const label = spec.label ?? spec.name;
  const testId = `param-${nodeId}-${spec.name}`;
  const current = value ?? spec.default;
  // A refused number is explained on a line of its own under the whole row.
  const [problem, setProblem] = useState<string>();
  if (wired) {
    const from = describeSource(wired.from);
    return (
      <div className="param wired" data-testid={`${testId}-wired`}
        title={`${spec.description} Set by the wire from ${from}; without that wire this node's own value applies (${String(current)}).`}>
        <span className="param-label">{label}</span>
        <span className="param-wired">
          <b>{wired.value === undefined ? 'from the wire' : String(wired.value)}</b> <small>⇠ {from}</small>
        </span>
      </div>
    );
  }
  return (
    <label className="param nodrag nowheel" title={spec.description}>
      <span className="param-label">{label}</span>
      <ParamInput spec={spec} value={current} onChange={onChange} onProblem={setProblem} testId={testId} />
      {problem && (
        <span className="param-problem" role="alert" data-testid={`${testId}-problem`}>
          {problem}
        </span>
      )}
    </label>
  );
}

interface InputProps {
  spec: ParamSpec;
  value: ParamValue;
  onChange(v: ParamValue): void;
  onProblem(problem: string | undefined): void;
  testId: string;
}

function ParamInput({ spec, value, onChange, onProblem, testId }: InputProps) {
  switch (spec.type) {
    case 'number': {
      const num = typeof value === 'number' ? value : spec.default;
      const step = spec.step ?? (spec.integer ? 1 : rangeStep(spec.min, spec.max));
      const hasRange = spec.min !== undefined && spec.max !== undefined;
      return (
        <span className="param-number">
          {hasRange && (
            // The slider cannot leave the range, so it stays live while dragged.
            <input
              type="range"
              min={spec.min}
              max={spec.max}
              step={step}
              value={num}
              data-testid={`${testId}-slider`}
              onChange={(e) => onChange(spec.integer ? Math.round(Number(e.target.value)) : Number(e.target.value))}
            />
          )}
          <NumberField spec={spec} value={num} step={step} onChange={onChange} onProblem={onProblem} testId={testId} />
        </span>
      );
    }
    case 'seed': {
      const seed = typeof value === 'number' ? value : spec.default;
      return (
        <span className="param-seed">
          <NumberField spec={spec} value={seed} step={1} onChange={onChange} onProblem={onProblem} testId={testId} />
          <button type="button" title="new random seed" data-testid={`${testId}-dice`}
            onClick={() => onChange(Math.floor(Math.random() * MAX_SEED))}>
            ↻
          </button>
        </span>
      );
    }
    case 'boolean':
      return <input type="checkbox" checked={value === true} data-testid={testId} onChange={(e) => onChange(e.target.checked)} />;
    case 'string':
      if (spec.widget === 'image') return <ImagePicker value={String(value ?? '')} onChange={onChange} testId={testId} />;
      if (spec.widget === 'decoder') return <DecoderPicker value={String(value ?? '')} onChange={onChange} testId={testId} />;
      if (spec.options)
        return (
          <select value={String(value)} data-testid={testId} onChange={(e) => onChange(e.target.value)}>
            {spec.options.map((o) => (
              <option key={o} value={o}>{o}</option>
            ))}
          </select>
        );
      if (spec.embedsImage && isDataUrl(String(value ?? '')))
        return (
          // An image carried in the graph: its text is a long data: URL, shown by what it is.
          <span className="param-embedded" data-testid={testId} data-embedded="true" title="an image embedded in the graph (data: URL): read from the graph itself, nothing fetched">
            embedded image, {formatKB(dataUrlBytes(String(value)))}
            <button className="icon" title="remove the embedded image" data-testid={`${testId}-clear`} onClick={() => onChange('')}>✕</button>
          </span>
        );
      if (spec.widget === 'multiline')
        return <textarea value={String(value ?? '')} data-testid={testId} onChange={(e) => onChange(e.target.value)} />;
      return <input type="text" value={String(value ?? '')} data-testid={testId} onChange={(e) => onChange(e.target.value)} />;
  }
}

/**
 * A typed number: the text is the user's until Enter or leaving the field commits it. A value the
 * param does not allow is not stored; it stays in the field, marked, with the allowed range under
 * it. Escape goes back to the stored value; ArrowUp/ArrowDown step and commit at once.
 */
function NumberField({ spec, value, step, onChange, onProblem, testId }: Omit<InputProps, 'spec' | 'value'> & { spec: NumericSpec; value: number; step: number }) {
  const [draft, setDraft] = useState<string | null>(null);
  // A change from elsewhere (slider, undo, another view of the same node) replaces what was typed.
  useEffect(() => setDraft(null), [value]);
  const text = draft ?? String(value);
  const parsed = draft === null ? undefined : parseNumberDraft(spec, draft);
  const problem = parsed && !parsed.ok ? parsed.message : undefined;
  useEffect(() => onProblem(problem), [problem, onProblem]);
  const commit = () => {
    if (!parsed?.ok) return;
    setDraft(null);
    if (parsed.value !== value) onChange(parsed.value);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') commit();
    else if (e.key === 'Escape') setDraft(null);
    else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      setDraft(null);
      const next = stepValue(spec, value, e.key === 'ArrowUp' ? 1 : -1, step);
      if (next !== value) onChange(next);
    } else return;
    e.stopPropagation();
  };
  return (
    <input
      type="text"
      inputMode={spec.type === 'seed' || (spec.type === 'number' && spec.integer) ? 'numeric' : 'decimal'}
      className={`number-field${problem ? ' invalid' : ''}`}
      value={text}
      aria-invalid={problem ? true : undefined}
      data-testid={testId}
      onChange={(e) => setDraft(e.target.value)}
      onKeyDown={onKeyDown}
      onBlur={commit}
    />
  );
}

/** A file of the user's own, stored in IndexedDB; the param holds its key. */
function ImagePicker({ value, onChange, testId }: { value: string; onChange(v: ParamValue): void; testId: string }) {
  const editor = useEditor();
  // The file's own name (stored with it), else the start of its key.
  const [name, setName] = useState<{ key: string; name?: string }>();
  useEffect(() => {
    let live = true;
    if (value) void editor.images.nameOf?.(value).then((n) => live && setName({ key: value, name: n }), () => undefined);
    return () => void (live = false);
  }, [editor, value]);
  const shown = name?.key === value && name.name ? name.name : `file ${value.slice(0, 8)}…`;
  return (
    <span className="param-image">
      <span className="asset-name" data-testid={testId} title={value}>{value ? shown : '(none)'}</span>
      <label className="button small" title="use an image of your own">
        …
        <input type="file" accept="image/*" hidden data-testid={`${testId}-file`}
          onChange={async (e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            try {
              onChange(await editor.images.storeImage(file));
            } catch (err) {
              editor.toasts.show(`Could not use '${file.name}': ${err instanceof Error ? err.message : err}`, 'error');
            }
          }} />
      </label>
      {value && <button className="icon" title="clear" onClick={() => onChange('')}>✕</button>}
    </span>
  );
}

/**
 * A decoder's name: free text (a path works too on the command line), suggesting yours (imported or
 * trained in this browser) and the bundled ones; ▾ lists them with their texture and a decoded photo.
 */
function DecoderPicker({ value, onChange, testId }: { value: string; onChange(v: ParamValue): void; testId: string }) {
  const editor = useEditor();
  const [names, setNames] = useState<DecoderChoice[]>([]);
  const [menu, setMenu] = useState<DecoderView[]>();
  useEffect(() => {
    let live = true;
    const refresh = () => void editor.decoderChoices().then((n) => live && setNames(n), () => live && setNames([]));
    refresh();
    const unsubscribe = editor.subscribeDecoders(refresh);
    return () => {
      live = false;
      unsubscribe();
    };
  }, [editor]);
  const listId = `${testId}-names`;
  const toggle = () => {
    if (menu) return setMenu(undefined);
    editor.decoderShelf.list().then((l) => setMenu(l.filter((d) => !d.hidden && !d.error)), () => setMenu([]));
  };
  return (
    <span className="param-decoder">
      <input type="text" list={listId} value={value} placeholder={names.length ? 'choose a decoder' : 'no decoder saved yet'}
        data-testid={testId} onFocus={() => void editor.decoderChoices().then(setNames, () => undefined)} onChange={(e) => onChange(e.target.value)} />
      <button type="button" className="icon" title="choose from your decoders and the bundled ones, with pictures" data-testid={`${testId}-choose`} onClick={toggle}>▾</button>
      <datalist id={listId} data-testid={`${testId}-names`}>
        {names.map((n) => (
          <option key={n.name} value={n.name} label={isInverterDecoder(n.name) ? `${n.origin}, ${INVERTER_LABEL}` : n.origin} />
        ))}
      </datalist>
      {menu && (
        <span className="decoder-menu nodrag nowheel" data-testid={`${testId}-menu`} onMouseLeave={() => setMenu(undefined)}>
          {menu.length === 0 && (
            <span className="empty">No decoder yet: train one (mgan-train preset) or import a .mgan file; the Decoders panel says more.</span>
          )}
          {menu.map((d) => (
            <button type="button" key={`${d.origin}:${d.name}`} className={`decoder-choice${d.name === value ? ' current' : ''}`} data-testid={`${testId}-choice-${d.name}`}
              onClick={() => { onChange(d.name); setMenu(undefined); }}>
              <DecoderThumbs entry={d} testId={`${testId}-choice-${d.name}`} />
              <span title={isInverterDecoder(d.name) ? INVERTER_EXPLANATION : undefined}>{d.name} <small>{d.origin}{isInverterDecoder(d.name) && `, ${INVERTER_LABEL}`}</small></span>
            </button>
          ))}
        </span>
      )}
    </span>
  );
}

function rangeStep(min?: number, max?: number): number {
  if (min === undefined || max === undefined) return 0.01;
  const span = max - min;
  return span >= 100 ? 1 : span >= 10 ? 0.1 : span >= 1 ? 0.01 : 0.001;
}
