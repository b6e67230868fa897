// SES v2 on this machine: aws-ses-v2-local, in process (its store of mails is global to the process).
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { closeServer, endpointOf, HOST, type Service } from './servers.ts';

// aws-ses-v2-local is CJS with exports.default, which Node and vitest interop differently.
const require = createRequire(import.meta.url);
const { default: startSesServer } = require('aws-ses-v2-local') as {
  default: (config: { host: string; port: number }) => Promise<Server>;
};

export async function startSes(): Promise<Service> {
  const server = await startSesServer({ host: HOST, port: 0 });
  const { port } = server.address() as AddressInfo;
  return { endpoint: endpointOf(port), stop: () => closeServer(server) };
}
