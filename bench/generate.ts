// Writes a generated estate as a `reckon-workbook/1` JSON file.
//   npx tsx bench/generate.ts --preset large|demo [--seed N] [--scale X] [--out FILE.json]
//   npx tsx bench/generate.ts --shape capacity|overlap|dense [--out FILE.json]   (bench/shapes.ts)
// Rows are streamed one per line (no giant JSON.stringify of a million-row sheet), with
// backpressure, so memory stays at the size of the workbook itself.

import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { DEMO, LARGE, generateEstateWithPlan, type EstateOptions } from '../estate/generate';
import { SHEET_NAMES, type Workbook } from '../estate/types';
import { shapeNamed, writeShape } from './shapes';

function args(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const [key, inline] = a.slice(2).split('=', 2);
    out.set(key, inline ?? argv[++i] ?? '');
  }
  return out;
}

async function writeWorkbook(wb: Workbook, file: string): Promise<number> {
  mkdirSync(dirname(file), { recursive: true });
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (chunk: string): Promise<void> => {
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write(`{"format":${JSON.stringify(wb.format)},\n"settings":${JSON.stringify(wb.settings)}`);
  for (const sheet of SHEET_NAMES) {
    const rows = wb[sheet];
    await write(`,\n${JSON.stringify(sheet)}:[`);
    // Batches of rows per write call: fewer, larger chunks for the stream.
    for (let i = 0; i < rows.length; i += 2000) {
      const end = Math.min(rows.length, i + 2000);
      let chunk = '';
      for (let j = i; j < end; j++) chunk += (j === 0 ? '\n' : ',\n') + JSON.stringify(rows[j]);
      await write(chunk);
    }
    await write(rows.length > 0 ? '\n]' : ']');
  }
  await write('}\n');
  out.end();
  await once(out, 'finish');
  return bytes;
}

async function main(): Promise<void> {
  const a = args(process.argv.slice(2));
  if (a.has('shape') && a.get('shape') !== 'bench') {
    const shape = shapeNamed(a.get('shape')!);
    const file = a.get('out') ?? `.cache/shape-${shape.name}.json`;
    const t0 = performance.now();
    const bytes = await writeShape(shape, file);
    console.log(`shape ${shape.name} (${shape.what}) -> ${file}: ${(bytes / 1048576).toFixed(1)} MB in ${(performance.now() - t0).toFixed(0)} ms`);
    return;
  }
  const preset = a.get('preset') ?? 'large';
  if (preset !== 'large' && preset !== 'demo') throw new Error(`--preset must be large or demo, got ${preset}`);
  const options: EstateOptions = { ...(preset === 'large' ? LARGE : DEMO) };
  if (a.has('seed')) options.seed = Number(a.get('seed'));
  if (a.has('scale')) options.scale = Number(a.get('scale'));
  if (!Number.isFinite(options.seed) || !Number.isFinite(options.scale ?? 1)) throw new Error('--seed and --scale take numbers');
  const file = a.get('out') ?? `.cache/estate-${preset}.json`;

  const t0 = performance.now();
  const { workbook, plans } = generateEstateWithPlan(options);
  const t1 = performance.now();
  const heap = process.memoryUsage().heapUsed;
  const bytes = await writeWorkbook(workbook, file);
  const t2 = performance.now();

  const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;
  console.log(`preset ${preset}, seed ${options.seed}${options.scale ? `, scale ${options.scale}` : ''} -> ${file}`);
  for (const sheet of SHEET_NAMES) console.log(`  ${sheet.padEnd(16)}${String(workbook[sheet].length).padStart(10)} rows`);
  const postures = new Map<string, number>();
  for (const p of plans) postures.set(p.posture, (postures.get(p.posture) ?? 0) + 1);
  console.log(`  planned positions: ${[...postures].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`generate ${(t1 - t0).toFixed(0)} ms (heap ${mb(heap)}), write ${(t2 - t1).toFixed(0)} ms, file ${mb(bytes)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
