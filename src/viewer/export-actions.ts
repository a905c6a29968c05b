/**
 * Exports: the feature bundle, the 3D-LLM layout, boxes as JSON and the screenshot, each handed
 * to the browser as a download.
 */
import type { ExportFile } from '../../workers/pipeline-api';
import { api, busy } from './controller';
import { captureScreenshot } from './screenshot';
import { getState, reportError, setState } from './store';

/** Hands bytes to the browser as a download. */
function download(name: string, mime: string, bytes: Uint8Array | Blob): void {
  const blob = bytes instanceof Blob ? bytes : new Blob([bytes as BlobPart], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  setState({ lastExport: { name, bytes: blob.size } });
}

async function exportWith(text: string, make: () => Promise<ExportFile>): Promise<void> {
  await busy(text, async () => {
    const file = await make();
    download(file.name, file.mime, file.bytes);
  });
}

export const exportBundle = () =>
  exportWith('Writing the feature bundle…', () => api().exportBundle());

export const export3dLlm = (peWeight?: number) =>
  exportWith('Writing the 3D-LLM export…', () => api().export3dLlm(peWeight));

const fileStem = () => (getState().scene?.info.name ?? 'scene').replace(/[^\w.-]+/g, '_');

export function exportBoxesJson(): void {
  const s = getState();
  const json = {
    scene: s.scene?.info.name,
    query: s.lastQuery?.text,
    normalisation: s.normalisation,
    boxes: s.boxes.map((b) => ({
      source: b.source,
      label: b.label,
      min: b.min,
      max: b.max,
      score: b.score,
      tokens: b.tokens,
    })),
  };
  download(
    `${fileStem()}-boxes.json`,
    'application/json',
    new TextEncoder().encode(JSON.stringify(json, null, 2) + '\n'),
  );
}

export async function exportScreenshot(): Promise<void> {
  try {
    const blob = await captureScreenshot();
    download(`${fileStem()}-view.png`, 'image/png', blob);
  } catch (err) {
    reportError(err);
  }
}
