import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Probot } from 'probot';

/**
 * The reference for `bench/intake.ts`: Probot 14's webhook middleware with a no-op
 * handler, as its own process, logging at LOG_LEVEL (info by default, like production).
 * Prints `listening on <url>` once ready.
 */
const secret = process.env.WEBHOOK_SECRET ?? 'bench';
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const probot = new Probot({ appId: 1, privateKey, secret, logLevel: (process.env.LOG_LEVEL ?? 'info') as 'info' });
const middleware = await createNodeMiddleware(
  (app) => {
    app.on('issues', async () => {});
  },
  { probot, webhooksPath: '/webhook' },
);
const server = createServer((req, res) => {
  void middleware(req, res, () => {
    res.writeHead(404).end();
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
