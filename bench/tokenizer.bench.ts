// CLIP tokenizer texts/second and CLIP image preprocessing images/second, each next to a
// baseline measured in the same run:
// - tokenizer: ours with the word cache, ours without it, and a straightforward port of
//   simple_tokenizer.py (string symbols, a "a b" → rank map, no id tables, no cache);
// - preprocessing: our separable Pillow-exact resampler (crop window only) vs a naive
//   non-separable float bicubic that evaluates the 2-D kernel for every output pixel.
// Figures are medians over repeated calls (each call encodes all query texts, or one image).
// Needs ../shared (CLIP's vocabulary, ICL-NUIM frames); without it, the tokenizer part is skipped
// and preprocessing runs on a generated 640x480 image.
//   npx tsx bench/tokenizer.bench.ts [--quick] [--json]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClipTokenizer } from '../src/pipeline/clip/tokenizer/load-tokenizer';
import { parseClipBpeVocab } from '../src/pipeline/clip/tokenizer/load-bpe-vocab';
import { normaliseClipText, splitClipWords } from '../src/pipeline/clip/tokenizer/clean';
import { wordToByteSymbols } from '../src/pipeline/clip/tokenizer/byte-unicode';
import { ClipPreprocessor } from '../src/pipeline/clip/preprocess/clip-preprocess';
import { clipCropGeometry } from '../src/pipeline/clip/preprocess/geometry';
import { decodeColorImage } from '../src/pipeline/image/decode';
import type { RgbImage } from '../src/pipeline/scene/types';
import { installNodePlatform } from '../src/hosts/node/platform';
import { BenchReporter, rate, timeSync } from './report';

// The capabilities the CLI runs with (wasm threads up to the cores, Node's model cache).
installNodePlatform();

const report = new BenchReporter(
  'tokenizer',
  'CLIP tokenizer texts/s and image preprocessing images/s',
);
const here = path.dirname(fileURLToPath(import.meta.url));
const shared = path.resolve(here, '../..', 'shared');
const vocabPath = path.join(shared, 'data/clip/bpe_simple_vocab_16e6.txt.gz');
const framesDir = path.join(shared, 'data/icl-nuim-livingroom1/color');
const seconds = report.quick ? 0.5 : 3;
report.option('secondsPerFigure', seconds);

/** Calls `work` (which processes `units` items) for `budget` seconds; items per second, median. */
function perSecond(work: () => unknown, units: number, budget = seconds) {
  return rate(timeSync(work, { warmup: 1, repetitions: 3, minSeconds: budget }), units);
}

// ---------------------------------------------------------------------------------- tokenizer

function queryTexts(): string[] {
  const colours = [
    'red',
    'green',
    'blue',
    'yellow',
    'brown',
    'orange',
    'pink',
    'purple',
    'grey',
    'black',
    'white',
  ];
  const objects = [
    'sofa',
    'chair',
    'table',
    'bed',
    'lamp',
    'shelf',
    'plant',
    'television',
    'rug',
    'cushion',
    'cabinet',
  ];
  const templates = [
    (c: string, o: string) => `a photo of a ${c} ${o}`,
    (c: string, o: string) => `the ${c} ${o} next to the window`,
    (c: string, o: string) => `There is a ${o.toUpperCase()} that's ${c}, isn't it? (3 of them!)`,
    (c: string, o: string) => `Un ${o} ${c} très élégant — 😀 &amp; more`,
  ];
  const texts: string[] = [];
  for (const t of templates) for (const c of colours) for (const o of objects) texts.push(t(c, o));
  return texts;
}

/** simple_tokenizer.py's bpe() transliterated: string symbols and a string-keyed rank map. */
function pythonStyleTokenizer(gz: Uint8Array) {
  const spec = parseClipBpeVocab(gz);
  const ranks = new Map<string, number>();
  spec.merges.forEach(([a, b], i) => ranks.set(`${a} ${b}`, i));
  const bpe = (token: string): string[] => {
    let word = [...token.slice(0, -1)].concat(token.slice(-1) + '</w>');
    while (word.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < word.length - 1; i++) {
        const r = ranks.get(`${word[i]} ${word[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      const [first, second] = [word[best], word[best + 1]];
      const next: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i < word.length - 1 && word[i] === first && word[i + 1] === second) {
          next.push(first + second);
          i++;
        } else next.push(word[i]);
      }
      word = next;
    }
    return word;
  };
  return (text: string): number[] => {
    const ids = [spec.startId];
    for (const w of splitClipWords(normaliseClipText(text))) {
      for (const t of bpe(wordToByteSymbols(w))) ids.push(spec.vocab.get(t)!);
    }
    ids.push(spec.endId);
    return ids.length > 77 ? [...ids.slice(0, 76), spec.endId] : ids;
  };
}

function benchTokenizer(): void {
  if (!existsSync(vocabPath)) {
    report.skip(`tokenizer: ${vocabPath} is missing`);
    return;
  }
  const gz = new Uint8Array(readFileSync(vocabPath));
  const loadStart = performance.now();
  const cached = createClipTokenizer(gz, 'bpe_simple_vocab_16e6.txt.gz');
  const loadMs = performance.now() - loadStart;
  const uncached = cached.withOptions({ cacheSize: 0 });
  const naive = pythonStyleTokenizer(gz);
  const texts = queryTexts();
  for (const t of texts) {
    if (JSON.stringify(naive(t)) !== JSON.stringify(cached.encode(t)))
      throw new Error(`baseline disagrees on ${t}`);
  }
  const run = (encode: (t: string) => unknown) => () => {
    for (const t of texts) encode(t);
  };
  report.log(`tokenizer: ${texts.length} query texts, ${cached.vocabSize} tokens`);
  const rCached = perSecond(
    run((t) => cached.encode(t)),
    texts.length,
  );
  const rUncached = perSecond(
    run((t) => uncached.encode(t)),
    texts.length,
  );
  const rNaive = perSecond(run(naive), texts.length);
  const rBatch = perSecond(() => cached.encodeBatch(texts), texts.length);
  const baseline = {
    name: 'simple_tokenizer.py port (string pairs, no cache)',
    ...rNaive,
  };
  report.compare({
    name: 'tokenizer, word cache',
    ...rCached,
    unit: 'texts/s',
    better: 'higher',
    baseline,
  });
  report.compare({
    name: 'tokenizer, no cache',
    ...rUncached,
    unit: 'texts/s',
    better: 'higher',
    baseline,
  });
  report.context('tokenizer encodeBatch → int64', rBatch.figure, 'texts/s');
  report.context('vocabulary load', loadMs, 'ms');
}

// ------------------------------------------------------------------------------ preprocessing

/** Naive baseline: non-separable float bicubic, the 2-D kernel evaluated per output pixel. */
function naivePreprocess(img: RgbImage, size = 224): Float32Array {
  const g = clipCropGeometry(img.width, img.height, size);
  const kernel = (x: number) => {
    x = Math.abs(x);
    if (x < 1) return (1.5 * x - 2.5) * x * x + 1;
    if (x < 2) return (((x - 5) * x + 8) * x - 4) * -0.5;
    return 0;
  };
  const sx = img.width / g.resizedWidth;
  const sy = img.height / g.resizedHeight;
  const fx = Math.max(1, sx);
  const fy = Math.max(1, sy);
  const mean = [0.48145466, 0.4578275, 0.40821073];
  const std = [0.26862954, 0.26130258, 0.27577711];
  const out = new Float32Array(3 * size * size);
  for (let y = 0; y < size; y++) {
    const cy = (y + g.cropTop + 0.5) * sy;
    const y0 = Math.max(0, Math.floor(cy - 2 * fy));
    const y1 = Math.min(img.height, Math.ceil(cy + 2 * fy));
    for (let x = 0; x < size; x++) {
      const cx = (x + g.cropLeft + 0.5) * sx;
      const x0 = Math.max(0, Math.floor(cx - 2 * fx));
      const x1 = Math.min(img.width, Math.ceil(cx + 2 * fx));
      let r = 0;
      let gr = 0;
      let b = 0;
      let total = 0;
      for (let iy = y0; iy < y1; iy++) {
        for (let ix = x0; ix < x1; ix++) {
          const w = kernel((iy + 0.5 - cy) / fy) * kernel((ix + 0.5 - cx) / fx);
          const p = (iy * img.width + ix) * 3;
          r += w * img.data[p];
          gr += w * img.data[p + 1];
          b += w * img.data[p + 2];
          total += w;
        }
      }
      [r, gr, b].forEach((v, c) => {
        const level = Math.min(255, Math.max(0, Math.round(v / total)));
        out[c * size * size + y * size + x] = (level / 255 - mean[c]) / std[c];
      });
    }
  }
  return out;
}

async function frames(): Promise<RgbImage[]> {
  if (existsSync(framesDir)) {
    const files = readdirSync(framesDir)
      .filter((f) => f.endsWith('.jpg'))
      .slice(0, 4);
    return Promise.all(
      files.map((f) => decodeColorImage(new Uint8Array(readFileSync(path.join(framesDir, f))), f)),
    );
  }
  report.log(`preprocess: ${framesDir} is missing, using a generated 640x480 image`);
  const data = new Uint8Array(640 * 480 * 3).map((_, i) => (i * 2654435761) >>> 24);
  return [{ width: 640, height: 480, data }];
}

async function benchPreprocess(): Promise<void> {
  const images = await frames();
  const pre = new ClipPreprocessor();
  const batch = new Float32Array(images.length * pre.imageLength);
  let k = 0;
  const { width, height } = images[0];
  report.log(`preprocess: ${images.length} frames of ${width}x${height} → [3,224,224]`);
  const rOurs = perSecond(() => {
    pre.preprocessInto(batch, k % images.length, images[k++ % images.length]);
  }, 1);
  // Multi-scale crops as the feature stage cuts them (tiles from 5% to 50% of the frame).
  const crops = [0.05, 0.1, 0.25, 0.5].flatMap((f) => {
    const w = Math.max(1, Math.round(width * f));
    const h = Math.max(1, Math.round(height * f));
    return [0, 1, 2].map((i) => ({
      x: Math.floor((width - w) * (i / 2)),
      y: Math.floor((height - h) / 2),
      width: w,
      height: h,
    }));
  });
  let c = 0;
  const rCrops = perSecond(() => {
    pre.preprocessInto(batch, 0, images[0], crops[c++ % crops.length]);
  }, 1);
  const rNaive = perSecond(
    () => {
      naivePreprocess(images[k++ % images.length]);
    },
    1,
    Math.max(seconds, 2),
  );
  report.compare({
    name: `preprocess ${width}x${height} → 224², separable fixed point, crop window`,
    ...rOurs,
    unit: 'images/s',
    better: 'higher',
    baseline: { name: 'non-separable float bicubic', ...rNaive },
  });
  report.context('preprocess, multi-scale crops 5%..50% of a frame', rCrops.figure, 'crops/s');
}

benchTokenizer();
await benchPreprocess();
report.finish();
