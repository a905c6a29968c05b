/**
 * What a screenshot adds over the WebGL image: the placed box labels, drawn as they look on
 * screen (their computed colours and font, at their laid-out rectangles), and the colour legend
 * with its range when a colour ramp is shown. Text is drawn with fillText, never parsed as HTML.
 */
import { colormapLut } from './colormaps';
import { getState } from './store';

function roundedRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) {
  const r = Math.min(3, h / 2);
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

/** Draws the labels shown over `viewport` onto `ctx`, whose pixels are `scale` × CSS pixels. */
export function drawLabels(ctx: CanvasRenderingContext2D, viewport: DOMRect, scale: number): void {
  const labels = document.querySelectorAll<HTMLElement>('.box-labels [data-placed="true"]');
  for (const el of labels) {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const x = (r.left - viewport.left) * scale;
    const y = (r.top - viewport.top) * scale;
    ctx.save();
    roundedRect(ctx, x, y, r.width * scale, r.height * scale);
    ctx.fillStyle = style.backgroundColor;
    ctx.fill();
    ctx.strokeStyle = style.borderTopColor;
    ctx.lineWidth = Math.max(1, parseFloat(style.borderTopWidth) || 1) * scale;
    ctx.stroke();
    ctx.fillStyle = style.color;
    ctx.font = `${style.fontWeight} ${parseFloat(style.fontSize) * scale}px ${style.fontFamily}`;
    ctx.textBaseline = 'middle';
    ctx.fillText(
      el.textContent ?? '',
      x + (parseFloat(style.paddingLeft) || 4) * scale,
      y + (r.height * scale) / 2,
    );
    ctx.restore();
  }
}

/** Draws the colour ramp, its range and what it shows in the bottom-left corner. */
export function drawLegend(ctx: CanvasRenderingContext2D, scale: number): void {
  const s = getState();
  if (s.colorMode !== 'heatmap' && s.colorMode !== 'views') return;
  const [lo, hi] =
    s.colorMode === 'heatmap' ? s.heatRange : [0, Math.max(1, s.viewCounts?.max ?? 1)];
  const lut = colormapLut(s.colormap);
  const w = 200 * scale;
  const h = 12 * scale;
  const pad = 10 * scale;
  const x = pad;
  const y = ctx.canvas.height - pad - h - 16 * scale;
  ctx.save();
  ctx.fillStyle = 'rgba(20, 23, 28, 0.8)';
  ctx.fillRect(x - 6 * scale, y - 6 * scale, w + 12 * scale, h + 30 * scale);
  for (let i = 0; i < 256; i++) {
    ctx.fillStyle = `rgb(${lut[4 * i]}, ${lut[4 * i + 1]}, ${lut[4 * i + 2]})`;
    ctx.fillRect(x + (i / 256) * w, y, w / 256 + 1, h);
  }
  ctx.fillStyle = '#e6e6e6';
  ctx.font = `${11 * scale}px sans-serif`;
  ctx.textBaseline = 'top';
  const ty = y + h + 4 * scale;
  ctx.textAlign = 'left';
  ctx.fillText(lo.toFixed(3), x, ty);
  ctx.textAlign = 'center';
  ctx.fillText(s.colorMode === 'heatmap' ? 'relevancy' : 'views', x + w / 2, ty);
  ctx.textAlign = 'right';
  ctx.fillText(hi.toFixed(3), x + w, ty);
  ctx.restore();
}
