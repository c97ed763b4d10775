/**
 * What the page's main thread did, from a Chrome trace (DevTools protocol): its tasks' wall time and
 * the thread's own CPU time in them, the same for the tasks over 50 ms (a task whose CPU time is far
 * below its wall time waited for a core rather than worked), and the CPU time spent in each kind of
 * work (script by function, style, layout, paint, garbage collection, message serialisation...),
 * counting each event's own time, not its children's. Used by `bench canvas --trace`.
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
  /** Every task of the window: how many, their wall time and the main thread's CPU time in them, ms. */
  tasks: number;
  taskWallMs: number;
  taskCpuMs: number;
  longTasks: number;
  /** Sum of the long tasks' wall time and of the main thread's CPU time within them, ms. */
  wallMs: number;
  cpuMs: number;
  /** The longest task: wall and CPU ms. */
  longest: { wallMs: number; cpuMs: number };
  /** Own (self) CPU time per kind of work in every task, ms, largest first: what the page itself works at. */
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
  let tasks = 0;
  let taskWallMs = 0;
  let taskCpuMs = 0;
  for (let i = 0; i < thread.length; i++) {
    const task = thread[i]!;
    if (!isTask(task)) continue;
    const end = task.ts + task.dur!;
    tasks++;
    taskWallMs += task.dur! / 1000;
    taskCpuMs += (task.tdur ?? 0) / 1000;
    if (task.dur! >= 50_000) {
      longTasks++;
      wallMs += task.dur! / 1000;
      cpuMs += (task.tdur ?? 0) / 1000;
      if (task.dur! / 1000 > longest.wallMs) Object.assign(longest, { wallMs: task.dur! / 1000, cpuMs: (task.tdur ?? 0) / 1000 });
    }
    // Own CPU time of each event inside the task: its CPU time less its direct children's.
    const stack: Array<{ e: TraceEvent; children: number }> = [{ e: task, children: 0 }];
    const close = (upTo: number) => {
      while (stack.length > 1 && stack.at(-1)!.e.ts + stack.at(-1)!.e.dur! <= upTo) {
        const { e, children } = stack.pop()!;
        work.set(label(e), (work.get(label(e)) ?? 0) + ((e.tdur ?? 0) - children) / 1000);
        stack.at(-1)!.children += e.tdur ?? 0;
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
    work.set('(task, not in any traced event)', (work.get('(task, not in any traced event)') ?? 0) + ((task.tdur ?? 0) - stack[0]!.children) / 1000);
    i = j - 1;
  }
  const round = (v: number) => Math.round(v);
  return {
    tasks,
    taskWallMs: round(taskWallMs),
    taskCpuMs: round(taskCpuMs),
    longTasks,
    wallMs: round(wallMs),
    cpuMs: round(cpuMs),
    longest: { wallMs: round(longest.wallMs), cpuMs: round(longest.cpuMs) },
    work: [...work.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => [k, round(v)]),
  };
}
