// SES v2 on this machine: aws-ses-v2-local, in process (its store of mails is global to the
// process). It loads (with express and mailparser) on the first request: most commands send no mail.
import { createRequire } from 'node:module';
import type { RequestListener, Server } from 'node:http';
import { closeServer, HOST, startDeferred, type Service } from './servers.ts';

// aws-ses-v2-local is CJS with exports.default, which Node and vitest interop differently.
const require = createRequire(import.meta.url);

export function startSes(): Promise<Service> {
  return startDeferred(async () => {
    const { default: startSesServer } = require('aws-ses-v2-local') as {
      default: (config: { host: string; port: number }) => Promise<Server>;
    };
    // It builds its express app inside and returns only the server listening for it: take the
    // app (the server's request listener) and serve it from ours.
    const server = await startSesServer({ host: HOST, port: 0 });
    const [app] = server.listeners('request') as RequestListener[];
    await closeServer(server);
    return { handle: app, stop: async () => undefined };
  });
}
