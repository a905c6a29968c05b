import { OrbitControls } from '@react-three/drei';
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useRef, type ComponentRef } from 'react';
import { Vector3 } from 'three';
import { registerCameraReader, takeRequestedPose } from './camera-pose';
import { useApp } from './store';
import { writeHash } from './url-hash';

interface Flight {
  fromPos: Vector3;
  toPos: Vector3;
  fromTarget: Vector3;
  toTarget: Vector3;
  start: number;
}

const FLIGHT_SECONDS = 0.6;

/** Orbit controls, fitting the view to each new scene and flying to requested boxes. */
export function CameraRig() {
  const controls = useRef<ComponentRef<typeof OrbitControls>>(null);
  const flight = useRef<Flight | undefined>(undefined);
  const camera = useThree((s) => s.camera);
  const invalidate = useThree((s) => s.invalidate);
  const scene = useApp((s) => s.scene);
  const flyTo = useApp((s) => s.flyTo);
  const refitSeq = useApp((s) => s.refitSeq);
  const up = scene?.up ?? [0, 0, 1];

  // Fit the scene (cloud and cameras) when it changes: from behind the cameras, looking the way
  // they mostly look, raised along up; without frames, from a raised corner.
  useEffect(() => {
    const b = scene?.info.bounds;
    const min = new Vector3(...(b?.min ?? [-1, -1, -1]));
    const max = new Vector3(...(b?.max ?? [1, 1, 1]));
    const forward = new Vector3();
    for (const f of scene?.frames ?? []) {
      const m = f.cameraToWorld;
      const eye = new Vector3(m[3], m[7], m[11]);
      min.min(eye);
      max.max(eye);
      forward.add(new Vector3(m[2], m[6], m[10]));
    }
    const center = min.clone().add(max).multiplyScalar(0.5);
    const radius = Math.max(0.5, max.distanceTo(min) / 2);
    camera.up.set(up[0], up[1], up[2]);
    const upV = new Vector3(...up);
    forward.addScaledVector(upV, -forward.dot(upV));
    let dir: Vector3;
    if (forward.lengthSq() > 1e-6) {
      dir = forward.normalize().negate().add(upV.clone().multiplyScalar(0.8)).normalize();
    } else {
      const side = Math.abs(upV.x) > 0.9 ? new Vector3(0, 1, 0) : new Vector3(1, 0, 0);
      dir = side.clone().add(new Vector3().crossVectors(upV, side)).add(upV).normalize();
    }
    camera.position.copy(center).addScaledVector(dir, radius * 2);
    camera.near = radius / 1000;
    camera.far = radius * 100;
    camera.updateProjectionMatrix();
    camera.lookAt(center);
    controls.current?.target.copy(center);
    // A shared link's pose replaces the fit once its scene is open.
    const requested = scene ? takeRequestedPose() : undefined;
    if (requested) {
      camera.position.set(...requested.position);
      camera.lookAt(...requested.target);
      controls.current?.target.set(...requested.target);
    }
    controls.current?.update();
    invalidate();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- refit only for a new scene
  }, [scene, refitSeq, camera, invalidate]);

  useEffect(() => {
    if (!flyTo || !controls.current) return;
    const toTarget = new Vector3(...flyTo.center);
    const offset = camera.position.clone().sub(controls.current.target).normalize();
    flight.current = {
      fromPos: camera.position.clone(),
      toPos: toTarget.clone().addScaledVector(offset, Math.max(0.5, flyTo.radius * 3)),
      fromTarget: controls.current.target.clone(),
      toTarget,
      start: performance.now(),
    };
    invalidate();
  }, [flyTo, camera, invalidate]);

  useEffect(() => {
    registerCameraReader(() => ({
      position: camera.position.toArray() as [number, number, number],
      target: (controls.current?.target ?? new Vector3()).toArray() as [number, number, number],
    }));
    return () => registerCameraReader(undefined);
  }, [camera]);

  useFrame(() => {
    const f = flight.current;
    if (!f || !controls.current) return;
    const t = Math.min(1, (performance.now() - f.start) / (FLIGHT_SECONDS * 1000));
    const e = t * t * (3 - 2 * t);
    camera.position.lerpVectors(f.fromPos, f.toPos, e);
    controls.current.target.lerpVectors(f.fromTarget, f.toTarget, e);
    controls.current.update();
    if (t < 1) invalidate();
    else {
      flight.current = undefined;
      writeHash();
    }
  });

  // Remount with a new up vector: OrbitControls reads camera.up only when constructed.
  return (
    <OrbitControls
      key={up.join(',')}
      ref={controls}
      makeDefault
      enableDamping={false}
      onEnd={() => writeHash()}
    />
  );
}
