/**
 * What the page's main thread did in its long tasks, from a Chrome trace (DevTools protocol): for
 * each task over 50 ms, its wall time and the thread's own CPU time in it (a task whose CPU time is
 * far below its wall time waited for a core rather than worked), and, over all long tasks, the time
 * spent in each kind of work (script by function, style, layout, paint, garbage collection, image
 * decoding...), counting each event's own time, not its children's. Used by `bench canvas --trace`.
 */
import type { Page } from 'playwright-core';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { functionName?: string; url?: string } };
}

export interface MainThreadSummary {
  longTasks: number;
  /** Sum of the long tasks' wall time and of the main thread's CPU time within them, ms. */
  wallMs: number;
  cpuMs: number;
  /** The longest task: wall and CPU ms. */
  longest: { wallMs: number; cpuMs: number };
  /** Own (self) wall time per kind of work inside the long tasks, ms, largest first. */
  work: Array<[string, number]>;
}

const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink', 'cc', 'gpu'].join(',');

/** Starts tracing `page`'s browser; `stop()` ends it and summarises the renderer's main thread. */
export async function traceMainThread(page: Page): Promise<{ stop(): Promise<MainThreadSummary> }> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => {
    for (const ev of e.value) events.push(ev as unknown as TraceEvent);
  });
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  return {
    async stop() {
      const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
      await cdp.send('Tracing.end');
      await complete;
      await cdp.detach();
      return summarise(events);
    },
  };
}

function label(e: TraceEvent): string {
  if (e.name === 'FunctionCall' || e.name === 'EvaluateScript' || e.name === 'v8.callFunction') {
    const d = e.args?.data;
    const file = d?.url ? d.url.split('/').at(-1) : '';
    return `${e.name} ${d?.functionName || '(anonymous)'}${file ? ` @${file}` : ''}`;
  }
  return e.name;
}

export function summarise(events: TraceEvent[]): MainThreadSummary {
  // The renderer main thread with the most top-level tasks is the page's.
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (!mains.has(key) || e.ph !== 'X' || e.dur === undefined) continue;
    let list = byThread.get(key);
    if (!list) byThread.set(key, (list = []));
    list.push(e);
  }
  const thread = [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  thread.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const isTask = (e: TraceEvent) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask';
  const work = new Map<string, number>();
  let longTasks = 0;
  let wallMs = 0;
  let cpuMs = 0;
  const longest = { wallMs: 0, cpuMs: 0 };
  for (let i = 0; i < thread.length; i++) {
    const task = thread[i]!;
    if (!isTask(task) || task.dur! < 50_000) continue;
    const end = task.ts + task.dur!;
    longTasks++;
    wallMs += task.dur! / 1000;
    cpuMs += (task.tdur ?? 0) / 1000;
    if (task.dur! / 1000 > longest.wallMs) Object.assign(longest, { wallMs: task.dur! / 1000, cpuMs: (task.tdur ?? 0) / 1000 });
    // Own time of each event inside the task: its duration less its direct children's.
    const stack: Array<{ e: TraceEvent; children: number }> = [{ e: task, children: 0 }];
    const close = (upTo: number) => {
      while (stack.length > 1 && stack.at(-1)!.e.ts + stack.at(-1)!.e.dur! <= upTo) {
        const { e, children } = stack.pop()!;
        work.set(label(e), (work.get(label(e)) ?? 0) + (e.dur! - children) / 1000);
        stack.at(-1)!.children += e.dur!;
      }
    };
    let j = i + 1;
    for (; j < thread.length && thread[j]!.ts < end; j++) {
      const e = thread[j]!;
      if (isTask(e)) continue;
      close(e.ts);
      stack.push({ e, children: 0 });
    }
    close(Infinity);
    work.set('(task, not in any traced event)', (work.get('(task, not in any traced event)') ?? 0) + (task.dur! - stack[0]!.children) / 1000);
    i = j - 1;
  }
  const round = (v: number) => Math.round(v);
  return {
    longTasks,
    wallMs: round(wallMs),
    cpuMs: round(cpuMs),
    longest: { wallMs: round(longest.wallMs), cpuMs: round(longest.cpuMs) },
    work: [...work.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => [k, round(v)]),
  };
}
