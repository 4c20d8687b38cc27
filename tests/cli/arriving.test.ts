// The parallel reader's worker parses installations while the main thread is still reading the
// file into shared memory. Here a real worker thread parses while this thread writes the bytes in
// a chunk at a time, telling it through the real ReadProgress.

import { Worker } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { locateArrays } from '../../cli/json-split';
import { ReadProgress } from '../../cli/parallel-read';

const installations = (text: string) => locateArrays(Buffer.from(text), new Set(['installations']))!.get('installations')!;
const HELPER = join(__dirname, '../helpers/arriving-worker.ts');

interface Got { rows?: unknown[]; end?: number; failed?: string; seen: number[] }

/**
 * Writes `text` into shared memory `chunk` bytes at a time while a worker parses its installations;
 * each chunk once the worker has asked for bytes that are not in yet.
 */
async function parseArriving(text: string, chunk: number, options: { failAt?: number } = {}): Promise<Got> {
  const real = Buffer.from(text);
  const bytes = new SharedArrayBuffer(real.length);
  const progress = new ReadProgress();
  const asked = new Int32Array(new SharedArrayBuffer(4));
  // A worker does not take --import: it registers tsx itself, then loads the TypeScript helper.
  const worker = new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(HELPER).href)}); })`, {
    eval: true,
    workerData: { bytes, start: installations(text).start, progress: progress.shared, piece: 40, asked: asked.buffer },
  });
  const next = () => new Promise<unknown>((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  await next(); // ready
  let answered = false;
  const answer = (next() as Promise<Got>).finally(() => { answered = true; });
  try {
    for (let at = 0; at < real.length; at += chunk) {
      while (Atomics.load(asked, 0) <= at && !answered) await sleep(1);
      if (options.failAt !== undefined && at >= options.failAt) {
        progress.failed();
        return await answer;
      }
      real.copy(Buffer.from(bytes), at, at, Math.min(real.length, at + chunk));
      progress.in(Math.min(real.length, at + chunk));
    }
    progress.read();
    return await answer;
  } finally {
    await worker.terminate();
  }
}

const rows = Array.from({ length: 40 }, (_, i) => ({ id: `i${i}`, deviceId: `d${i % 3}`, product: i === 5 ? 'Tool [x64], "beta"' : 'P' }));
const text = JSON.stringify({ format: 'reckon-workbook/1', devices: [{ id: 'd0' }], installations: rows, users: [{ id: 'u]},{' }] }, null, 1);

describe('parsing installations as the file is read', () => {
  it('gives every row and the array end locateArrays finds, taking the bytes as they come', async () => {
    const got = await parseArriving(text, 97);
    expect(got.failed).toBeUndefined();
    expect(got.rows).toEqual(rows);
    expect(got.end).toBe(installations(text).end);
    // It went on as bytes came in, not once they were all in.
    expect(new Set(got.seen).size).toBeGreaterThan(text.length / 97 / 2);
    expect(Math.min(...got.seen)).toBeLessThan(text.length / 2);
  });

  it('a read that fails part-way fails the split, which sends the caller to the plain read', async () => {
    const got = await parseArriving(text, 97, { failAt: 1000 });
    expect(got.failed).toBe('the file could not be read');
  });
});
