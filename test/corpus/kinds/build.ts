/** Small builders the access-rule corpus kinds share: graph documents and PNG bytes as plain data. */
import { PNG } from 'pngjs';

export type NodeSpec = { id: string; type: string; params?: Record<string, unknown> };

/** A graph document's JSON text: `nodes` with `edges` given as [fromNode, fromPort, toNode, toPort]. */
export function graphJson(nodes: NodeSpec[], edges: Array<[string, string, string, string]> = []): string {
  return JSON.stringify({
    schemaVersion: 1,
    nodes: nodes.map((n) => ({ id: n.id, type: n.type, params: n.params ?? {} })),
    edges: edges.map(([a, ap, b, bp]) => ({ from: { node: a, port: ap }, to: { node: b, port: bp } })),
  });
}

/** An RGB PNG of the given size. */
export function pngBytes(width: number, height: number, shade = 120): Uint8Array {
  const image = new PNG({ width, height });
  for (let i = 0; i < image.data.length; i += 4) image.data.set([shade, (i * 5) % 256, 60, 255], i);
  return new Uint8Array(PNG.sync.write(image));
}

/** `text` as a regular expression matching it literally. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
