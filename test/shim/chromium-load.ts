// The load time of a page in headless Chromium, from the browser's own clock: navigation start to the end of the
// load event, read from the Performance API (PerformanceNavigationTiming) over the DevTools protocol. The protocol
// runs on a pipe (--remote-debugging-pipe: Chromium reads commands on fd 3 and answers on fd 4, each message
// ended by a NUL), so nothing listens on a port and the page itself needs no script.

import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface LoadTiming {
  /** Navigation start to loadEventEnd, in milliseconds. */
  loadMs: number;
  /** Navigation start to domContentLoadedEventEnd. */
  domContentLoadedMs: number;
  /** Bytes of the document as transferred (decodedBodySize). */
  documentBytes: number;
}

type Message = { id?: number; method?: string; sessionId?: string; result?: Record<string, unknown>; error?: { message: string } };

/** Opens `url` in a fresh headless Chromium and returns the page's navigation timing. */
export async function measureLoad(url: string, chromiumArgs: string[], timeoutMs = 120_000): Promise<LoadTiming> {
  const child = spawn('chromium', [...chromiumArgs, '--remote-debugging-pipe', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const waiting = new Map<number, (m: Message) => void>();
  const events: ((m: Message) => void)[] = [];
  let buffered = '';
  fromBrowser.on('data', (d: Buffer) => {
    buffered += d.toString();
    let end: number;
    while ((end = buffered.indexOf('\0')) >= 0) {
      const m = JSON.parse(buffered.slice(0, end)) as Message;
      buffered = buffered.slice(end + 1);
      if (m.id !== undefined) waiting.get(m.id)?.(m);
      else for (const on of events) on(m);
    }
  });
  let next = 0;
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++next;
      waiting.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result ?? {})));
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    const { targetId } = (await send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    await send('Page.enable', {}, sessionId);
    const loaded = new Promise<void>((resolve) => events.push((m) => m.method === 'Page.loadEventFired' && m.sessionId === sessionId && resolve()));
    await send('Page.navigate', { url }, sessionId);
    await loaded;
    const expression =
      "(() => { const n = performance.getEntriesByType('navigation')[0]; return { loadMs: n.loadEventEnd - n.startTime, domContentLoadedMs: n.domContentLoadedEventEnd - n.startTime, documentBytes: n.decodedBodySize }; })()";
    // loadEventEnd is set just after the load event's handlers return: ask until it is there
    for (;;) {
      const { result } = (await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId)) as { result: { value: LoadTiming } };
      if (result.value.loadMs > 0) return result.value;
      await new Promise((r) => setTimeout(r, 10));
    }
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${stderr}`, { cause: e });
  } finally {
    clearTimeout(timer);
    await send('Browser.close').catch(() => undefined);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
