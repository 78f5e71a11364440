// Headless Chromium for the HTML report tests, driven directly (no puppeteer): `--screenshot` for a PNG, and
// the DevTools protocol over `--remote-debugging-port=0` with Node's global WebSocket for DOM measurements.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The Chromium binary (CHROMIUM_PATH, else the first on PATH), or null. */
export function findChromium(): string | null {
  const env = process.env.CHROMIUM_PATH;
  if (env && existsSync(env)) return env;
  for (const name of CANDIDATES) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    const path = found.stdout.trim();
    if (found.status === 0 && path) return path;
  }
  return null;
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--hide-scrollbars',
  '--no-first-run',
  '--mute-audio',
];

function run(
  bin: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const profile = mkdtempSync(join(tmpdir(), 'dora-chromium-'));
    const child = spawn(bin, [...FLAGS, `--user-data-dir=${profile}`, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      resolve({ code, stderr });
    });
  });
}

export async function screenshot(bin: string, url: string, file: string, width: number, height: number) {
  const r = await run(bin, [`--screenshot=${file}`, `--window-size=${width},${height}`, url]);
  if (!existsSync(file))
    throw new Error(`chromium wrote no screenshot (exit ${r.code}): ${r.stderr.slice(-500)}`);
}

/** Width and height from the IHDR chunk, and how many distinct byte values the inflated pixel data has. */
export function pngInfo(png: Buffer): { width: number; height: number; distinctBytes: number } {
  if (png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const seen = new Set<number>();
  for (let i = 0; i < raw.length && seen.size < 256; i += 7) seen.add(raw[i] as number);
  return { width, height, distinctBytes: seen.size };
}

export interface Page {
  evaluate<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}

/** Opens `url` in a headless window of the given size and returns a DevTools session on that page. */
export async function openPage(bin: string, url: string, width: number, height: number): Promise<Page> {
  const profile = mkdtempSync(join(tmpdir(), 'dora-chromium-'));
  const child: ChildProcess = spawn(
    bin,
    [
      ...FLAGS,
      `--user-data-dir=${profile}`,
      '--remote-debugging-port=0',
      `--window-size=${width},${height}`,
      url,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const browserWs = await new Promise<string>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`no DevTools endpoint: ${err.slice(-500)}`)), 30_000);
      child.stderr?.on('data', (c: Buffer) => {
        err += c.toString();
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1] as string);
        }
      });
      child.once('exit', (code) => reject(new Error(`chromium exited (${code}): ${err.slice(-500)}`)));
    });
    const http = browserWs.replace(/^ws:/, 'http:').replace(/\/devtools\/browser\/.*$/, '');
    interface Target {
      type: string;
      url: string;
      webSocketDebuggerUrl: string;
    }
    let target: Target | undefined;
    for (let i = 0; i < 100 && !target; i++) {
      const list = (await (await fetch(`${http}/json/list`)).json()) as Target[];
      target = list.find((t) => t.type === 'page' && t.url.startsWith(url.slice(0, 7)));
      if (!target) await new Promise((r) => setTimeout(r, 100));
    }
    if (!target) throw new Error('chromium opened no page');
    const ws = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error('DevTools WebSocket failed'));
    });
    let nextId = 0;
    const pending = new Map<number, (m: { result?: unknown; error?: { message: string } }) => void>();
    ws.onmessage = (event: MessageEvent) => {
      const m = JSON.parse(String(event.data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      if (m.id !== undefined) pending.get(m.id)?.(m);
    };
    const send = (method: string, params: object): Promise<unknown> =>
      new Promise((resolve, reject) => {
        const id = ++nextId;
        pending.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(m.result)));
        ws.send(JSON.stringify({ id, method, params }));
      });
    const evaluate = async <T>(expression: string): Promise<T> => {
      const r = (await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
        result: { value: T };
        exceptionDetails?: { text: string; exception?: { description?: string } };
      };
      if (r.exceptionDetails)
        throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
      return r.result.value;
    };
    // The page may still be the initial about:blank, or navigating (the context is then replaced).
    const loaded = `location.href === ${JSON.stringify(url)} && document.readyState === 'complete' && document.body !== null`;
    for (let i = 0; ; i++) {
      if (await evaluate<boolean>(loaded).catch(() => false)) break;
      if (i >= 150) throw new Error(`chromium did not load ${url}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      evaluate,
      close: async () => {
        ws.close();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
