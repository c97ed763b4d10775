/** `mgan-studio editor`: serves the editor shipped in the package and opens it in the browser. */
import open from 'open';
import { EditorNotBuiltError, startEditorServer } from '../../platform/node/editor-server';
import { defaultCacheDir, PACKAGE_ROOT } from '../../platform/node/user-data';
import { parseCommandArgs } from '../args';
import { EXIT_FAILED, EXIT_OK, UsageError, type CliIO } from '../io';
import type { CommandBody } from './types';

export const DEFAULT_EDITOR_PORT = 5178;

export const editorCommand: CommandBody = {
  details: [
    'Serves the editor on this machine (with your installed VGG19 weights, so MDAN runs offline) until',
    'Ctrl-C, prints its URL and opens it in your browser.',
    'options:',
    `  --port N     the port (default ${DEFAULT_EDITOR_PORT}, or a free one when that is taken; 0 = any free one)`,
    '  --host H     the address to listen on (default 127.0.0.1: this machine only)',
    '  --no-open    only print the URL',
    '  --json       print {"url": ...} on stdout once serving',
  ].join('\n'),
  async run(args, io: CliIO) {
    const { values } = parseCommandArgs(args, {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'no-open': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const port = values.port === undefined ? DEFAULT_EDITOR_PORT : Number(values.port);
    if (!(Number.isInteger(port) && port >= 0 && port < 65536)) throw new UsageError(`--port ${values.port}: expected a port number (0-65535)`);
    const start = (p: number) => startEditorServer({ packageRoot: PACKAGE_ROOT, cacheDir: defaultCacheDir(), host: values.host!, port: p });
    let served: Awaited<ReturnType<typeof start>>;
    try {
      served = await start(port).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE' && values.port === undefined) return start(0);
        throw e;
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const message = e instanceof EditorNotBuiltError ? e.message : `cannot serve on ${values.host}:${port}${code ? ` (${code === 'EADDRINUSE' ? 'the port is taken' : code})` : ''}`;
      if (values.json) io.out(JSON.stringify({ error: message, exitCode: EXIT_FAILED }));
      else io.err(`error: ${message}`);
      return EXIT_FAILED;
    }
    if (values.json) io.out(JSON.stringify({ url: served.url }));
    else io.out(`MGAN Studio editor: ${served.url}  (Ctrl-C stops it)`);
    if (!values['no-open']) {
      // No browser (a server, CI, SSH): the URL above is all the user needs.
      try {
        const child = await open(served.url);
        child.once('error', () => io.err(`note: could not open a browser; open ${served.url} yourself`));
      } catch {
        io.err(`note: could not open a browser; open ${served.url} yourself`);
      }
    }
    await new Promise<void>((resolveStop) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        served.server.close(() => resolveStop());
        served.server.closeAllConnections();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return EXIT_OK;
  },
};
