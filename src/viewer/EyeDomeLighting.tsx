import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useMemo } from 'react';
import {
  BufferAttribute,
  BufferGeometry,
  DepthTexture,
  Mesh,
  OrthographicCamera,
  PerspectiveCamera,
  Scene,
  UnsignedIntType,
  Vector2,
  WebGLRenderTarget,
  type Object3D,
} from 'three';
import { createEdlMaterial, EDL_FLAG } from './edl-shader';
import { useApp } from './store';

/** One triangle covering the screen (clip space), uv 0..1 over the visible part. */
function fullScreenTriangle(): BufferGeometry {
  const g = new BufferGeometry();
  g.setAttribute(
    'position',
    new BufferAttribute(new Float32Array([-1, -1, 0, 3, -1, 0, -1, 3, 0]), 3),
  );
  g.setAttribute('uv', new BufferAttribute(new Float32Array([0, 0, 2, 0, 0, 2]), 2));
  return g;
}

function setVisible(objects: Object3D[], visible: boolean) {
  for (const o of objects) o.visible = visible;
}

/**
 * While mounted, takes over rendering (a useFrame with priority 1, so R3F stops its own render):
 * the points go into a render target with a depth texture, the rest of the scene (background,
 * boxes, frusta) to the canvas, then the EDL pass composites the shaded points over it with
 * their depth. Render on demand is unchanged: this runs only in frames R3F runs anyway.
 */
export function EyeDomeLighting() {
  const gl = useThree((s) => s.gl);
  const invalidate = useThree((s) => s.invalidate);
  const strength = useApp((s) => s.edlStrength);
  const target = useMemo(() => {
    const rt = new WebGLRenderTarget(1, 1, { depthBuffer: true });
    rt.depthTexture = new DepthTexture(1, 1, UnsignedIntType);
    return rt;
  }, []);
  const pass = useMemo(() => {
    const material = createEdlMaterial();
    const mesh = new Mesh(fullScreenTriangle(), material);
    mesh.frustumCulled = false;
    const scene = new Scene();
    scene.add(mesh);
    return { scene, mesh, material, camera: new OrthographicCamera() };
  }, []);

  useEffect(
    () => () => {
      target.depthTexture?.dispose();
      target.dispose();
      pass.mesh.geometry.dispose();
      pass.material.dispose();
    },
    [target, pass],
  );

  useEffect(() => {
    pass.material.uniforms.uStrength.value = strength;
    invalidate();
  }, [pass, strength, invalidate]);

  // Turning EDL on or off must redraw the (otherwise idle) view.
  useEffect(() => {
    invalidate();
    return () => invalidate();
  }, [invalidate]);

  const size = useMemo(() => new Vector2(), []);
  useFrame((state) => {
    const { scene, camera } = state;
    gl.getDrawingBufferSize(size);
    if (target.width !== size.x || target.height !== size.y) target.setSize(size.x, size.y);
    const u = pass.material.uniforms;
    u.tColor.value = target.texture;
    u.tDepth.value = target.depthTexture;
    (u.uTexel.value as Vector2).set(1 / size.x, 1 / size.y);
    const perspective = camera as PerspectiveCamera;
    u.uNear.value = perspective.near;
    u.uFar.value = perspective.far;

    const shaded = scene.children.filter((o) => o.visible && o.userData[EDL_FLAG]);
    const others = scene.children.filter((o) => o.visible && !o.userData[EDL_FLAG]);
    const background = scene.background;
    const autoClear = gl.autoClear;
    try {
      // 1. Points only, into the target (no background: empty pixels keep depth 1).
      setVisible(others, false);
      scene.background = null;
      gl.setRenderTarget(target);
      gl.render(scene, camera);
      setVisible(others, true);
      scene.background = background;
      // 2. Everything else onto the canvas, as a normal frame would draw it.
      setVisible(shaded, false);
      gl.setRenderTarget(null);
      gl.render(scene, camera);
      // 3. The shaded points with their depth, over it.
      gl.autoClear = false;
      gl.render(pass.scene, pass.camera);
    } finally {
      setVisible(shaded, true);
      setVisible(others, true);
      scene.background = background;
      gl.autoClear = autoClear;
      gl.setRenderTarget(null);
    }
  }, 1);

  return null;
}
