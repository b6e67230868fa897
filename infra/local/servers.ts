// Loopback server helpers shared by the emulators of the local stack.
import net, { type AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export const HOST = '127.0.0.1';

/** One started emulator: where clients reach it, and how to stop it. */
export interface Service {
  endpoint: string;
  stop(): Promise<void>;
}

export const endpointOf = (port: number): string => `http://${HOST}:${port}`;

export function listen(server: net.Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  const port = await listen(probe);
  await new Promise((r) => probe.close(r));
  return port;
}

// close() alone waits for open keep-alive sockets of SDK clients: drop them so vitest can exit.
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
