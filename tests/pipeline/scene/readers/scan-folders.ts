/**
 * Generated scan folders in each new reader's NATIVE convention, over the wall fixture
 * (rgbd-fixtures.ts): ARKitScenes (world-to-camera axis-angle), Polycam (ARKit/OpenGL camera
 * axes, lower-resolution depth), Replica in NICE-SLAM's layout (depth scale 6553.5). Each
 * conversion from our OpenCV camera-to-world is written out here independently of the readers.
 */
import { scaleIntrinsics } from '../../../../src/pipeline/geometry/camera';
import { encodeJpeg, encodePng16, encodePngRgb } from '../../../../src/pipeline/image/encode';
import type { Mat4 } from '../../../../src/pipeline/scene/types';
import { K, fixturePoses, renderWall, text } from '../rgbd-fixtures';

/** Axis-angle vector of a rotation block (log map; the fixtures' angles are well below π). */
export function rotationToAxisAngle(m: ArrayLike<number>): [number, number, number] {
  const cos = Math.max(-1, Math.min(1, (m[0] + m[5] + m[10] - 1) / 2));
  const angle = Math.acos(cos);
  if (angle < 1e-12) return [0, 0, 0];
  const k = angle / (2 * Math.sin(angle));
  return [(m[9] - m[6]) * k, (m[2] - m[8]) * k, (m[4] - m[1]) * k];
}

/** World-to-camera of a rigid camera-to-world: [Rᵀ | −Rᵀt]. */
export function worldToCamera(pose: Mat4): Float64Array {
  const out = new Float64Array(16);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[r * 4 + c] = pose[c * 4 + r];
    out[r * 4 + 3] = -(pose[r] * pose[3] + pose[4 + r] * pose[7] + pose[8 + r] * pose[11]);
  }
  out[15] = 1;
  return out;
}

export const ARKIT_VIDEO = '41069021';
export const ARKIT_TIMES = ['6845.080', '6845.180', '6845.280'];

export function arkitScenesFiles() {
  const poses = fixturePoses(3);
  const root = `${ARKIT_VIDEO}/${ARKIT_VIDEO}_frames/`;
  const files: Record<string, Uint8Array> = {};
  let traj = '';
  poses.forEach((pose, i) => {
    const t = ARKIT_TIMES[i];
    const r = renderWall(K, pose, 1000);
    files[`${root}lowres_wide/${ARKIT_VIDEO}_${t}.png`] = encodePngRgb(r.color);
    files[`${root}lowres_depth/${ARKIT_VIDEO}_${t}.png`] = encodePng16(K.width, K.height, r.depth);
    files[`${root}lowres_wide_intrinsics/${ARKIT_VIDEO}_${t}.pincam`] = text(
      `${K.width} ${K.height} ${K.fx} ${K.fy} ${K.cx} ${K.cy}\n`,
    );
    const w2c = worldToCamera(pose);
    const aa = rotationToAxisAngle(w2c);
    traj += `${t}0000 ${aa.join(' ')} ${w2c[3]} ${w2c[7]} ${w2c[11]}\n`;
  });
  // A colour frame far from any pose (skipped with a warning).
  files[`${root}lowres_wide/${ARKIT_VIDEO}_7000.000.png`] =
    files[`${root}lowres_wide/${ARKIT_VIDEO}_${ARKIT_TIMES[0]}.png`];
  files[`${root}lowres_depth/${ARKIT_VIDEO}_7000.000.png`] =
    files[`${root}lowres_depth/${ARKIT_VIDEO}_${ARKIT_TIMES[0]}.png`];
  files[`${root}lowres_wide_intrinsics/${ARKIT_VIDEO}_7000.000.pincam`] = text(
    `${K.width} ${K.height} ${K.fx} ${K.fy} ${K.cx} ${K.cy}\n`,
  );
  files[`${root}lowres_wide.traj`] = text(traj);
  return { files, poses };
}

/** Polycam's depth maps are smaller than its images. */
export const POLYCAM_DEPTH = { width: 8, height: 6 };

export function polycamFiles(corrected = true) {
  const poses = fixturePoses(3);
  const files: Record<string, Uint8Array> = {};
  const kd = scaleIntrinsics(K, POLYCAM_DEPTH.width, POLYCAM_DEPTH.height);
  poses.forEach((pose, i) => {
    const key = String(1700000000123 + i * 100);
    const r = renderWall(K, pose, 1000);
    files[`export/keyframes/images/${key}.jpg`] = encodeJpeg(r.color, 100);
    const d = renderWall(kd, pose, 1000);
    files[`export/keyframes/depth/${key}.png`] = encodePng16(kd.width, kd.height, d.depth);
    const camera: Record<string, number> = {
      blur_score: 100,
      fx: K.fx,
      fy: K.fy,
      cx: K.cx,
      cy: K.cy,
      width: K.width,
      height: K.height,
      timestamp: Number(key),
    };
    // ARKit camera axes: y up, looking −z, i.e. our camera's y and z columns negated.
    for (let row = 0; row < 3; row++) {
      for (let c = 0; c < 4; c++) {
        const sign = c === 1 || c === 2 ? -1 : 1;
        camera[`t_${row}${c}`] = sign * pose[row * 4 + c];
      }
    }
    const json = text(JSON.stringify(camera));
    if (corrected) {
      files[`export/keyframes/corrected_cameras/${key}.json`] = json;
      // Raw cameras that disagree: the reader must prefer the corrected ones.
      const raw = { ...camera, t_03: camera.t_03 + 1 };
      files[`export/keyframes/cameras/${key}.json`] = text(JSON.stringify(raw));
    } else files[`export/keyframes/cameras/${key}.json`] = json;
  });
  return { files, poses };
}

export const REPLICA_DEPTH_SCALE = 6553.5;

export function replicaFiles(withCamParams = true) {
  const poses = fixturePoses(3);
  const files: Record<string, Uint8Array> = {};
  let traj = '';
  poses.forEach((pose, i) => {
    const n = String(i).padStart(6, '0');
    const r = renderWall(K, pose, REPLICA_DEPTH_SCALE);
    files[`Replica/room0/results/frame${n}.jpg`] = encodeJpeg(r.color, 100);
    files[`Replica/room0/results/depth${n}.png`] = encodePng16(K.width, K.height, r.depth);
    traj += Array.from(pose, (v) => v.toPrecision(17)).join(' ') + '\n';
  });
  files['Replica/room0/traj.txt'] = text(traj);
  if (withCamParams) {
    files['Replica/cam_params.json'] = text(
      JSON.stringify({
        camera: {
          w: K.width,
          h: K.height,
          fx: K.fx,
          fy: K.fy,
          cx: K.cx,
          cy: K.cy,
          scale: REPLICA_DEPTH_SCALE,
        },
      }),
    );
  }
  return { files, poses };
}
