/** The presets: thumbnail, the paper figure each reproduces, a line of description; one click opens it. */
import type { GraphDocument } from '../../graph/types';
import { nodeRegistry } from '../../nodes/registry';
import { useEditor, usePanels } from '../hooks';
import { portColor } from '../port-colors';
import { presetEntries, type PresetEntry } from '../presets';
import { estimateSizes, hasOverlaps, tidyLayout } from '../layout';
import { validateGraph } from '../store/graph-ops';

export function PresetsGallery() {
  const editor = useEditor();
  const { gallery, welcome } = usePanels();
  if (!gallery) return null;
  const close = () => editor.panels.set({ gallery: false, welcome: false });
  const open = (p: PresetEntry) => {
    const loaded = validateGraph(structuredClone(p.doc));
    if (loaded.ok) {
      // Presets are laid out by hand; when the cards (with their previews) would overlap, tidy them.
      const sizes = estimateSizes(loaded.doc, nodeRegistry);
      if (hasOverlaps(loaded.doc, sizes)) loaded.doc = tidyLayout(loaded.doc, sizes);
    }
    if (editor.applyLoad(loaded, p.title)) close();
  };
  const presets = presetEntries();
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <section className={`gallery${welcome ? ' welcome' : ''}`} data-testid="gallery">
        <header>
          <h2>{welcome ? 'Welcome to MGAN Studio' : 'Presets'}</h2>
          <button className="icon" title="close" data-testid="gallery-close" onClick={close}>✕</button>
        </header>
        {welcome && (
          <div className="welcome-intro" data-testid="welcome">
            <p>
              Build texture-synthesis pipelines from Li &amp; Wand's Markovian GANs as a live graph: each card is
              one step, wires carry images and features, and previews update as you change a parameter.
            </p>
            <p>
              Behind this window is a small graph that has already run: <b>Perlin noise → image out</b>. Close
              this to play with its sliders, or open one of the presets below, each a figure of the paper.
              Slow nodes (MDAN, training, video) wait for their ▶ and show how long they will take first.
              The <b>Presets</b> button in the toolbar brings this list back.
            </p>
            <button className="primary" data-testid="welcome-start" onClick={close}>Start with the small graph</button>
          </div>
        )}
        {presets.length === 0 && <p className="empty">No presets bundled.</p>}
        <div className="gallery-grid">
          {presets.map((p) => (
            <button key={p.id} className="preset" data-testid={`preset-${p.id}`} title={p.description} onClick={() => open(p)}>
              {p.thumbnail ? <img src={p.thumbnail} alt="" /> : <GraphThumbnail doc={p.doc} />}
              <b>{p.title}</b>
              {p.figure && <span className="figure">{p.figure}</span>}
              <span className="description">{p.description}</span>
            </button>
          ))}
        </div>
      </section>
    </div>
  );
}

/** A preset without a picture is drawn as its graph: boxes coloured by output type, and its wires. */
function GraphThumbnail({ doc }: { doc: GraphDocument }) {
  const W = 220;
  const H = 120;
  const xs = doc.nodes.map((n) => n.position.x);
  const ys = doc.nodes.map((n) => n.position.y);
  const x0 = Math.min(...xs, 0);
  const y0 = Math.min(...ys, 0);
  const sx = (Math.max(...xs, 1) - x0 + 240) / (W - 20);
  const sy = (Math.max(...ys, 1) - y0 + 160) / (H - 20);
  const s = Math.max(sx, sy, 1);
  const at = (id: string) => doc.nodes.find((n) => n.id === id)?.position;
  return (
    <svg className="thumb" width={W} height={H} viewBox={`0 0 ${W} ${H}`}>
      {doc.edges.map((e, i) => {
        const a = at(e.from.node);
        const b = at(e.to.node);
        if (!a || !b) return null;
        return <line key={i} x1={10 + (a.x - x0 + 200) / s} y1={10 + (a.y - y0 + 40) / s} x2={10 + (b.x - x0) / s} y2={10 + (b.y - y0 + 40) / s} stroke="#666" />;
      })}
      {doc.nodes.map((n) => {
        const out = nodeRegistry.get(n.type)?.outputs[0]?.type;
        return <rect key={n.id} x={10 + (n.position.x - x0) / s} y={10 + (n.position.y - y0) / s} width={200 / s} height={100 / s} rx={3} fill={out ? portColor(out) : '#555'} opacity={0.85} />;
      })}
    </svg>
  );
}
