// Loopback server helpers shared by the emulators of the local stack.
import net, { type AddressInfo } from 'node:net';
import http, { type RequestListener, type Server } from 'node:http';

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

/** An emulator's request handler, built when first needed, and how to release it. */
export interface DeferredHandler {
  handle: RequestListener;
  stop(): Promise<void>;
}

/**
 * A loopback server whose emulator is built on the first request: the endpoint is known at
 * once (clients and env point at it), and the emulator's package is loaded only by a command
 * that calls it (`tthc status` sends no mail and reads no object). A build that fails answers
 * 503 and is tried again on the next request.
 */
export async function startDeferred(build: () => Promise<DeferredHandler>): Promise<Service> {
  let built: Promise<DeferredHandler> | undefined;
  const server = http.createServer((req, res) => {
    (built ??= build()).then(
      (h) => h.handle(req, res),
      (err: unknown) => {
        built = undefined;
        res.writeHead(503, { 'content-type': 'text/plain' }).end(`emulator did not start: ${(err as Error)?.message ?? err}`);
      },
    );
  });
  const port = await listen(server);
  return {
    endpoint: endpointOf(port),
    stop: async () => {
      await closeServer(server);
      await (await built?.catch(() => undefined))?.stop();
    },
  };
}
