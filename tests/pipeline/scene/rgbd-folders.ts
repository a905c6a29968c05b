/**
 * Generated RGB-D scene folders, one per format, over the wall fixture (rgbd-fixtures.ts).
 * Shared by the reader, reconstruction and fuzz tests.
 */
import { encodePng16 } from '../../../src/pipeline/image/encode';
import type { Mat4 } from '../../../src/pipeline/scene/types';
import {
  K,
  fixturePoses,
  intrinsicsText,
  matrixText,
  pngViews,
  quaternionOf,
  text,
} from './rgbd-fixtures';

export function sevenScenesFiles(withIntrinsics = true, prefix = 'seq-01/') {
  const poses = fixturePoses(3);
  const views = pngViews(poses, 1000);
  const files: Record<string, Uint8Array> = {};
  views.forEach((view, i) => {
    const stem = `${prefix}frame-${String(i).padStart(6, '0')}`;
    files[`${stem}.color.png`] = view.color;
    // 7-Scenes marks missing depth with 65535: poke one hole per frame.
    const depth = view.raw.depth.slice();
    depth[0] = 65535;
    files[`${stem}.depth.png`] = encodePng16(K.width, K.height, depth);
    files[`${stem}.pose.txt`] = text(matrixText(poses[i], 4, 4));
  });
  if (withIntrinsics) files['camera-intrinsics.txt'] = text(intrinsicsText(K));
  return { files, poses };
}

export function redwoodFiles(colorDir = 'color') {
  const poses = fixturePoses(3);
  const views = pngViews(poses, 1000);
  const files: Record<string, Uint8Array> = {};
  let log = '';
  views.forEach((view, i) => {
    const stem = String(i).padStart(5, '0');
    files[`${colorDir}/${stem}.png`] = view.color;
    files[`depth/${stem}.png`] = view.depth;
    log += `${i} ${i} ${i + 1}\n${matrixText(poses[i], 4, 4)}`;
  });
  files['trajectory.log'] = text(log);
  return { files, poses };
}

export function tumFiles(root = 'rgbd_dataset_freiburg1_xyz/') {
  const poses = fixturePoses(3);
  const views = pngViews(poses, 5000);
  const files: Record<string, Uint8Array> = {};
  let rgb = '# color images\n# file: test\n# timestamp filename\n';
  let depth = '# depth maps\n# timestamp filename\n';
  let gt = '# ground truth trajectory\n# timestamp tx ty tz qx qy qz qw\n';
  views.forEach((view, i) => {
    const t = 1305031102.1 + i * 0.1;
    const tRgb = t.toFixed(6);
    const tDepth = (t + 0.007).toFixed(6);
    files[`${root}rgb/${tRgb}.png`] = view.color;
    files[`${root}depth/${tDepth}.png`] = view.depth;
    rgb += `${tRgb} rgb/${tRgb}.png\n`;
    depth += `${tDepth} depth/${tDepth}.png\n`;
    const q = quaternionOf(poses[i]);
    const p = poses[i];
    // A ground-truth sample 4 ms away, one far away, and a tracking gap (NaN) in between.
    gt += `${(t - 0.004).toFixed(4)} ${p[3]} ${p[7]} ${p[11]} ${q.join(' ')}\n`;
    gt += `${(t + 0.05).toFixed(4)} 9 9 9 0 0 0 1\n`;
    gt += `${(t + 0.06).toFixed(4)} nan nan nan nan nan nan nan\n`;
  });
  // A colour image with no depth close enough.
  rgb += `1305031110.000000 rgb/1305031110.000000.png\n`;
  files[`${root}rgb/1305031110.000000.png`] = views[0].color;
  files[`${root}rgb.txt`] = text(rgb);
  files[`${root}depth.txt`] = text(depth);
  files[`${root}groundtruth.txt`] = text(gt);
  return { files, poses, root };
}

/** Our OpenCV camera-to-world → nerfstudio's OpenGL one, written out independently. */
function toOpenGlRows(pose: Mat4): number[][] {
  return [0, 1, 2, 3].map((r) => [
    pose[r * 4],
    -pose[r * 4 + 1],
    -pose[r * 4 + 2],
    pose[r * 4 + 3],
  ]);
}

export function nerfstudioFiles(withDepth = true) {
  const poses = fixturePoses(3);
  const views = pngViews(poses, 1000);
  const files: Record<string, Uint8Array> = {};
  const frames = views.map((view, i) => {
    const name = `frame_${String(i + 1).padStart(5, '0')}.png`;
    files[`scene/images/${name}`] = view.color;
    const frame: Record<string, unknown> = {
      file_path: `./images/${name}`,
      transform_matrix: toOpenGlRows(poses[i]),
    };
    if (withDepth) {
      files[`scene/depth/${name}`] = view.depth;
      frame.depth_file_path = `depth/${name}`;
    }
    return frame;
  });
  const json = {
    camera_model: 'OPENCV',
    fl_x: K.fx,
    fl_y: K.fy,
    // nerfstudio's pixel centres sit at +0.5 (ours at integers).
    cx: K.cx + 0.5,
    cy: K.cy + 0.5,
    w: K.width,
    h: K.height,
    k1: 0,
    k2: 0,
    depth_unit_scale_factor: 0.001,
    frames,
  };
  files['scene/transforms.json'] = text(JSON.stringify(json));
  return { files, poses, json };
}
