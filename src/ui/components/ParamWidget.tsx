/** One parameter's widget: slider + number, select, seed with dice, image picker, decoder name, checkbox, text. */
import { useEffect, useState } from 'react';
import type { ParamSpec, ParamValue } from '../../graph/types';
import { useEditor } from '../hooks';
import type { DecoderChoice } from '../store/editor';

export interface ParamWidgetProps {
  nodeId: string;
  spec: ParamSpec;
  value: ParamValue | undefined;
  onChange(value: ParamValue): void;
}

const MAX_SEED = 0xffffffff;

export function ParamWidget({ nodeId, spec, value, onChange }: ParamWidgetProps) {
  const label = spec.label ?? spec.name;
  const testId = `param-${nodeId}-${spec.name}`;
  const current = value ?? spec.default;
  return (
    <label className="param nodrag nowheel" title={spec.description}>
      <span className="param-label">{label}</span>
      <ParamInput spec={spec} value={current} onChange={onChange} testId={testId} />
    </label>
  );
}

function ParamInput({ spec, value, onChange, testId }: { spec: ParamSpec; value: ParamValue; onChange(v: ParamValue): void; testId: string }) {
  switch (spec.type) {
    case 'number': {
      const num = typeof value === 'number' ? value : spec.default;
      const step = spec.step ?? (spec.integer ? 1 : rangeStep(spec.min, spec.max));
      const parse = (s: string) => {
        const n = Number(s);
        return Number.isFinite(n) ? (spec.integer ? Math.round(n) : n) : num;
      };
      const hasRange = spec.min !== undefined && spec.max !== undefined;
      return (
        <span className="param-number">
          {hasRange && (
            <input
              type="range"
              min={spec.min}
              max={spec.max}
              step={step}
              value={num}
              data-testid={`${testId}-slider`}
              onChange={(e) => onChange(parse(e.target.value))}
            />
          )}
          <input
            type="number"
            min={spec.min}
            max={spec.max}
            step={step}
            value={num}
            data-testid={testId}
            onChange={(e) => onChange(parse(e.target.value))}
          />
        </span>
      );
    }
    case 'seed': {
      const seed = typeof value === 'number' ? value : spec.default;
      return (
        <span className="param-seed">
          <input type="number" min={0} max={MAX_SEED} step={1} value={seed} data-testid={testId}
            onChange={(e) => onChange(Math.max(0, Math.min(MAX_SEED, Math.round(Number(e.target.value) || 0))))} />
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
      if (spec.widget === 'multiline')
        return <textarea value={String(value ?? '')} data-testid={testId} onChange={(e) => onChange(e.target.value)} />;
      return <input type="text" value={String(value ?? '')} data-testid={testId} onChange={(e) => onChange(e.target.value)} />;
  }
}

/** A file of the user's own, stored in IndexedDB; the param holds its key. */
function ImagePicker({ value, onChange, testId }: { value: string; onChange(v: ParamValue): void; testId: string }) {
  const editor = useEditor();
  return (
    <span className="param-image">
      <span className="asset-name" data-testid={testId} title={value}>{value ? `file ${value.slice(0, 8)}…` : '(none)'}</span>
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

/** A decoder's name: free text, suggesting yours (imported or trained in this browser) and the bundled ones. */
function DecoderPicker({ value, onChange, testId }: { value: string; onChange(v: ParamValue): void; testId: string }) {
  const editor = useEditor();
  const [names, setNames] = useState<DecoderChoice[]>([]);
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
  return (
    <span className="param-decoder">
      <input type="text" list={listId} value={value} placeholder={names.length ? 'choose a decoder' : 'no decoder saved yet'}
        data-testid={testId} onFocus={() => void editor.decoderChoices().then(setNames, () => undefined)} onChange={(e) => onChange(e.target.value)} />
      <datalist id={listId} data-testid={`${testId}-names`}>
        {names.map((n) => (
          <option key={n.name} value={n.name} label={n.origin} />
        ))}
      </datalist>
    </span>
  );
}

function rangeStep(min?: number, max?: number): number {
  if (min === undefined || max === undefined) return 0.01;
  const span = max - min;
  return span >= 100 ? 1 : span >= 10 ? 0.1 : span >= 1 ? 0.01 : 0.001;
}
