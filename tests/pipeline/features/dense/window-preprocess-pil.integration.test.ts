/**
 * Python oracle: a dense window is the whole view resized with PIL's bicubic filter, then cut out
 * (`Image.resize((W', H'), BICUBIC).crop(...)`), byte for byte, for the window layouts dense
 * extraction plans (upscaled and downscaled views, both axes, several seeds).
 */
import { expect, it } from 'vitest';
import { ClipPreprocessor } from '../../../../src/pipeline/clip/preprocess/clip-preprocess';
import { planDenseWindows } from '../../../../src/pipeline/features/dense/window-layout';
import { mulberry32 } from '../../../../src/pipeline/random';
import { describeWithPython } from '../../../oracles/python';

const SCRIPT = `
import base64, json, sys
from PIL import Image
cases = json.load(sys.stdin)
out = []
for c in cases:
    img = Image.frombytes('RGB', (c['width'], c['height']), base64.b64decode(c['data']))
    resized = img.resize((c['resizedWidth'], c['resizedHeight']), Image.BICUBIC)
    windows = []
    for x, y in c['windows']:
        windows.append(base64.b64encode(resized.crop((x, y, x + 224, y + 224)).tobytes()).decode())
    out.append(windows)
print(json.dumps(out))
`;

describeWithPython('dense windows vs PIL resize + crop', ['PIL'], (py) => {
  it('matches PIL byte for byte on smooth and noisy views', () => {
    const pre = new ClipPreprocessor();
    const grid = { rows: 7, cols: 7, patch: 32 };
    const cases = [
      { width: 160, height: 120, seed: 1 },
      { width: 640, height: 480, seed: 2 },
      { width: 333, height: 517, seed: 3 },
    ].map(({ width, height, seed }) => {
      const random = mulberry32(seed);
      const data = new Uint8Array(width * height * 3);
      for (let i = 0; i < data.length; i++) {
        const p = Math.floor(i / 3);
        const smooth = 127 + 100 * Math.sin((p % width) * 0.05 + (i % 3)) * Math.cos(p / width / 9);
        data[i] = Math.max(0, Math.min(255, Math.round(smooth + (random() - 0.5) * 60)));
      }
      const layout = planDenseWindows(width, height, grid, { shortSide: 336, stride: 112 });
      const windows: [number, number][] = [];
      for (let w = 0; w < layout.windows.length; w += 2)
        windows.push([layout.windows[w], layout.windows[w + 1]]);
      return { width, height, data, layout, windows };
    });
    const reference = py.run<string[][]>(
      SCRIPT,
      cases.map((c) => ({
        width: c.width,
        height: c.height,
        data: Buffer.from(c.data).toString('base64'),
        resizedWidth: c.layout.resizedWidth,
        resizedHeight: c.layout.resizedHeight,
        windows: c.windows,
      })),
    );
    cases.forEach((c, k) => {
      c.windows.forEach(([x, y], w) => {
        const ours = pre.resizedWindow(
          { width: c.width, height: c.height, data: c.data },
          c.layout.resizedWidth,
          c.layout.resizedHeight,
          x,
          y,
        );
        const theirs = Buffer.from(reference[k][w], 'base64');
        let differing = 0;
        for (let i = 0; i < ours.length; i++) if (ours[i] !== theirs[i]) differing++;
        expect(differing, `${c.width}×${c.height} window ${w}`).toBe(0);
      });
    });
  });
});
