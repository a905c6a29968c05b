/** The diagnostics worker: a comlink adapter over src/hosts/browser's self-checks. */
import * as Comlink from 'comlink';
import { compareImageDecoders } from '../src/hosts/browser/decoder-comparison';
import { installBrowserPlatform } from '../src/hosts/browser/platform';
import type { DiagnosticsApi } from './diagnostics-api';

installBrowserPlatform();

const api: DiagnosticsApi = {
  async compareImageDecoders(bytes, name) {
    const r = await compareImageDecoders(bytes, name);
    return Comlink.transfer(r, [r.browser.rgb.buffer, r.pureJs.rgb.buffer, r.auto.rgb.buffer]);
  },
};

Comlink.expose(api);
