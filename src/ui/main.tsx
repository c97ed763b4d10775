/**
 * Entry point of the browser editor: starts the runtime worker (which picks the tfjs backend:
 * `?backend=webgpu|webgl|wasm|cpu` forces one; `?threads=N` sets WASM's threads, default every core;
 * the runtime runs in live mode there), builds the editor session and renders the app.
 */
import '@xyflow/react/dist/style.css';
import './styles.css';
import { createRoot } from 'react-dom/client';
import { readAssetName, storeAsset } from '../platform/browser/env';
import { openStoredImage } from '../platform/browser/link-image';
import { WorkerRuntime } from './store/worker-runtime';
import type { BackendName } from '../runtime/types';
import { App } from './App';
import { Editor, type DecoderLibrary } from './store/editor';
import { GraphPersistence } from './store/persistence';
import { readShareHash } from './store/sharing';

const BACKENDS: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** `?backend=` and `?threads=` from the URL, or why they cannot be used. */
function askedBackend(): { backend?: BackendName; threads?: number; problem?: string } {
  const query = new URLSearchParams(location.search);
  const asked = query.get('backend');
  const threadsParam = query.get('threads');
  const threads = threadsParam === null ? undefined : Number(threadsParam);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    return { problem: `threads=${threadsParam} in the URL is not a whole number of at least 1; WASM uses every core.` };
  }
  if (asked && !BACKENDS.includes(asked as BackendName)) {
    return { threads, problem: `Unknown backend '${asked}' in the URL (use ${BACKENDS.join(', ')}); chose automatically.` };
  }
  return { backend: (asked as BackendName | null) ?? undefined, threads };
}

async function main(): Promise<void> {
  const asked = askedBackend();
  // The runtime and TensorFlow.js run in a worker: compute never holds up this page.
  const worker = new Worker(new URL('../worker/runtime-worker.ts', import.meta.url), { type: 'module', name: 'mgan-runtime' });
  const baseUrl = new URL(import.meta.env.BASE_URL, location.href).href;
  const { runtime, backend: info, problem: backendProblem } = await WorkerRuntime.start(worker, { backend: asked.backend, threads: asked.threads, baseUrl });
  const problem = asked.problem ?? backendProblem;
  // The browser's decoders (yours in IndexedDB, then those bundled with the site), kept by the worker:
  // import stores a dropped `.mgan`, the Decoders panel and the pickers list both, with a small photo
  // decoded through each.
  const decoders: DecoderLibrary = runtime.decoders as DecoderLibrary;
  const editor = new Editor(runtime, new GraphPersistence(), { storeImage: (f) => storeAsset(f), openStored: openStoredImage, nameOf: readAssetName }, info, decoders);
  // For the browser tests and curious users: the session, with run counts per node.
  (window as unknown as { mgan: unknown }).mgan = { editor, runtime, runCounts: editor.bridge.runCounts };
  createRoot(document.getElementById('root')!).render(<App editor={editor} />);
  const hash = location.hash;
  await editor.start(hash);
  // The link's graph is now a saved graph of its own; a reload must not open it again.
  const dropHash = () => history.replaceState(null, '', location.pathname + location.search);
  if (hash) dropHash();
  // A link pasted into this tab's address bar only changes the hash: open it here too.
  window.addEventListener('hashchange', () => {
    const shared = readShareHash(location.hash);
    if (!shared) return;
    editor.openShared(shared);
    dropHash();
  });
  if (problem) editor.toasts.show(problem, 'error');
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  document.getElementById('root')!.textContent = `MGAN Studio could not start: ${e instanceof Error ? e.message : e}`;
  console.error(e);
});
