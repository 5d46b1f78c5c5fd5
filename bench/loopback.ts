import { Server } from 'node:net';

// Preloaded into CLI processes the benchmarks start (`node --import ./dist-bench/bench/loopback.js
// dist/cli.js serve`): a server told to listen on a port alone (all interfaces) listens on
// 127.0.0.1 instead, so a benchmark never opens a port beyond loopback.

const listen = Server.prototype.listen;
Server.prototype.listen = function loopbackListen(this: Server, ...args: unknown[]) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  return (listen as (...a: unknown[]) => Server).apply(this, args);
} as typeof Server.prototype.listen;
