// Every Node test runs with the host capabilities the CLI installs (threads, model cache dir).
import { installNodePlatform } from '../src/hosts/node/platform';

installNodePlatform();
