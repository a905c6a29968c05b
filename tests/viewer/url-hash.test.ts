import { describe, expect, it } from 'vitest';
import { formatHash, readHash, type HashState } from '../../src/viewer/url-hash';

describe('URL hash', () => {
  it('round-trips scene, query, camera pose, selection and view options', () => {
    const state: HashState = {
      scene: 'demo-room',
      query: 'the red sofa & <b>lamp</b> #2 100%',
      camera: { position: [2.4, -1.7, 1.9], target: [0.3, 0.2, 0.6] },
      colorMode: 'height',
      selected: 'query-red-1',
      edl: true,
      colormap: 'viridis',
      pointSize: 3.5,
      showGt: true,
    };
    expect(readHash(formatHash(state))).toEqual(state);
  });

  it('keeps the camera pose to the millimetre', () => {
    const pose = { position: [1.23456, -0.0004, 7] as const, target: [0, 0, 0.9999] as const };
    const read = readHash(
      formatHash({ camera: { position: [...pose.position], target: [...pose.target] } }),
    );
    expect(read.camera).toEqual({ position: [1.235, 0, 7], target: [0, 0, 1] });
  });

  it('leaves defaults out of the link', () => {
    expect(formatHash({ scene: 'demo-room', colorMode: 'rgb', colormap: 'turbo' })).toBe(
      '#scene=demo-room',
    );
  });

  it('ignores values a hand-edited or hostile link gets wrong', () => {
    const read = readHash(
      '#cam=1,2,3,4,5&color=<img>&size=1e9&map=jet&edl=yes&gt=0&sel=' +
        encodeURIComponent('<script>'),
    );
    expect(read.camera).toBeUndefined();
    expect(read.colorMode).toBeUndefined();
    expect(read.pointSize).toBeUndefined();
    expect(read.colormap).toBeUndefined();
    expect(read.edl).toBe(false);
    expect(read.showGt).toBe(false);
    // A selection is only ever looked up among the boxes on screen, never rendered as markup.
    expect(read.selected).toBe('<script>');
    expect(readHash('#cam=1,2,3,NaN,5,6').camera).toBeUndefined();
    expect(readHash('#cam=1,2,3,Infinity,5,6').camera).toBeUndefined();
    expect(readHash('#size=-2').pointSize).toBeUndefined();
  });
});
