/**
 * The page's window hooks that the end-to-end tests and the viewer benchmark read through
 * Playwright (window.__app, __pipeline, __diagnostics, __viewerBench). The viewer declares them
 * (src/main.tsx, src/viewer/BenchBridge.tsx); these type-only imports bring its declarations
 * into this project (tsconfig.tools.json), which sees the viewer only through its .d.ts.
 */
import '../src/main';
import '../src/viewer/BenchBridge';
