/**
 * Entry point of the browser editor: picks the tfjs backend (`?backend=webgpu|webgl|wasm|cpu`
 * forces one; `?threads=N` sets WASM's threads, default every core), builds the runtime (live mode)
 * and the editor session, and renders the app.
 */
import '@xyflow/react/dist/style.css';
import './styles.css';
import { createRoot } from 'react-dom/client';
import { nodeRegistry } from './node-registry';
import { initBackend } from '../runtime/backend';
import { createBrowserEnv, storeAsset } from '../platform/browser/env';
import { openStoredImage } from '../platform/browser/link-image';
import { createDecoderSampler } from '../platform/common/decoder-sample';
import { GraphRuntime } from '../runtime/runtime';
import { setBundledWasmPaths } from '../platform/browser/wasm-paths';
import { browserWasmThreading } from '../platform/browser/wasm-threads';
import type { BackendInfo, BackendName } from '../runtime/types';
import { App } from './App';
import { Editor, type DecoderLibrary } from './store/editor';
import { GraphPersistence } from './store/persistence';
import { readShareHash } from './store/sharing';

const BACKENDS: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

async function chooseBackend(): Promise<{ info: BackendInfo; problem?: string }> {
  const query = new URLSearchParams(location.search);
  const asked = query.get('backend');
  const threadsParam = query.get('threads');
  const threads = threadsParam === null ? undefined : Number(threadsParam);
  const wasmThreading = browserWasmThreading;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    return { info: await initBackend(undefined, { wasmThreading }), problem: `threads=${threadsParam} in the URL is not a whole number of at least 1; WASM uses every core.` };
  }
  if (asked) {
    if (!BACKENDS.includes(asked as BackendName)) {
      return { info: await initBackend(undefined, { threads, wasmThreading }), problem: `Unknown backend '${asked}' in the URL (use ${BACKENDS.join(', ')}); chose automatically.` };
    }
    try {
      return { info: await initBackend(asked as BackendName, { threads, wasmThreading }) };
    } catch (e) {
      return { info: await initBackend(undefined, { threads, wasmThreading }), problem: `${e instanceof Error ? e.message : e}; chose automatically.` };
    }
  }
  return { info: await initBackend(undefined, { threads, wasmThreading }) };
}

async function main(): Promise<void> {
  await setBundledWasmPaths();
  const { info, problem } = await chooseBackend();
  const env = createBrowserEnv({ baseUrl: import.meta.env.BASE_URL });
  // Live mode: edits re-run the cheap nodes they touch once the user pauses for 40 ms.
  const runtime = new GraphRuntime({ registry: nodeRegistry, env, live: true, liveDebounceMs: 40 });
  // The browser's decoders (yours in IndexedDB, then those bundled with the site): import stores a dropped `.mgan`,
  // the Decoders panel and the pickers list both, with a small photo decoded through each.
  const catalog = env.services.decoders;
  const decoders: DecoderLibrary | undefined = catalog && {
    importFile: (bytes, name) => catalog.importFile(bytes, name),
    entries: () => catalog.entries(),
    exportFile: (name) => catalog.exportFile(name),
    remove: (name) => catalog.remove(name),
    rename: (from, to) => catalog.rename(from, to),
    sample: createDecoderSampler(env),
  };
  const editor = new Editor(runtime, new GraphPersistence(), { storeImage: (f) => storeAsset(f), openStored: openStoredImage }, info, decoders);
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
