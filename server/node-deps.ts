// Node-only packages, loaded by file path.
//
// Why: vitest runs this repo with vite-plugin-solid, which makes Node resolve
// packages with the "browser" condition (it passes `--conditions browser` to
// its workers). Under that condition `ws` exports a stub that throws. Loading
// the package's Node entry by path sidesteps condition matching, so the relay
// gets the real implementation under tsx, node and vitest alike. LevelDB is
// passed to y-leveldb explicitly for the same reason (`level` would pick its
// IndexedDB backend under a browser-first resolver).

import path from 'node:path';
import { createRequire } from 'node:module';
import type * as WsModule from 'ws';
import type * as ClassicLevelModule from 'classic-level';

const require = createRequire(import.meta.url);

const wsRoot = path.dirname(require.resolve('ws/package.json'));
const ws = require(path.join(wsRoot, 'index.js')) as typeof WsModule;
export const WebSocketServer = ws.WebSocketServer;
export const WebSocket = ws.WebSocket;

const classicLevelRoot = path.dirname(require.resolve('classic-level/package.json'));
export const ClassicLevel = (require(path.join(classicLevelRoot, 'index.js')) as typeof ClassicLevelModule).ClassicLevel;
