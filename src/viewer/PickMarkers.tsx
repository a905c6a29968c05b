import { Line } from '@react-three/drei';
import { useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import { BufferAttribute, BufferGeometry, PointsMaterial } from 'three';
import { useApp } from './store';

const MARKER_COLOR = '#ffe14d';

/** Picked points as markers drawn over the cloud, and the line between a measurement's ends. */
export function PickMarkers() {
  const picks = useApp((s) => s.picks);
  const invalidate = useThree((s) => s.invalidate);
  const geometry = useMemo(() => {
    const g = new BufferGeometry();
    g.setAttribute(
      'position',
      new BufferAttribute(new Float32Array(picks.flatMap((p) => p.position)), 3),
    );
    return g;
  }, [picks]);
  // Fixed screen size and no depth test: a pick stays visible inside dense points.
  const material = useMemo(
    () =>
      new PointsMaterial({
        color: MARKER_COLOR,
        size: 9,
        sizeAttenuation: false,
        depthTest: false,
        transparent: true,
      }),
    [],
  );
  useEffect(() => () => geometry.dispose(), [geometry]);
  useEffect(() => () => material.dispose(), [material]);
  useEffect(() => invalidate(), [picks, invalidate]);
  if (picks.length === 0) return null;
  return (
    <group>
      <points geometry={geometry} material={material} renderOrder={10} raycast={() => null} />
      {picks.length === 2 ? (
        <Line
          points={[picks[0].position, picks[1].position]}
          color={MARKER_COLOR}
          lineWidth={2}
          depthTest={false}
          renderOrder={10}
          raycast={() => null}
        />
      ) : null}
    </group>
  );
}
