import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from '../api/http-app.ts';
import type { Runtime } from './runtime.ts';

export interface RunningServer {
  server: http.Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(
  rt: Runtime,
  port = rt.config.port,
  host = rt.config.host,
): Promise<RunningServer> {
  const server = http.createServer(createHttpApp(rt));
  // Uploads can be slow; everything else is bounded by the body limits.
  server.requestTimeout = 30 * 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    port: actual,
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
