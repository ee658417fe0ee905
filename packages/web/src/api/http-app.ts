import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Runtime } from '../app/runtime.ts';
import { authenticate } from '../auth/authenticate.ts';
import { errorHandler, notFound } from '../http/error-handler.ts';
import { buildOpenApi } from '../http/openapi.ts';
import { registerRoutes } from '../http/register-routes.ts';
import { ROUTE_CATALOG } from './route-catalog.ts';

export const CLIENT_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/client');

/** The Express app: security headers, authentication, the API under /api, and the built React app. */
export function createHttpApp(rt: Runtime): Express {
  const app = express();
  app.disable('x-powered-by');
  if (rt.config.trustProxy) app.set('trust proxy', 1);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          objectSrc: ["'self'"],
          frameSrc: ["'self'"],
          frameAncestors: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  const openapi = buildOpenApi(ROUTE_CATALOG);
  const api = express.Router();
  api.get('/health', (_req, res) => {
    res.json({ ok: true });
  });
  api.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  api.use(authenticate());
  registerRoutes(api, rt, ROUTE_CATALOG, '2mb');
  api.use(notFound);
  app.use('/api', api);

  if (existsSync(CLIENT_DIST)) {
    app.use(express.static(CLIENT_DIST, { index: false, maxAge: '1h' }));
    // The React app routes on the client; every other GET gets its shell.
    app.get(/^(?!\/api\/).*/, (_req, res) => {
      res.sendFile(path.join(CLIENT_DIST, 'index.html'));
    });
  }
  app.use(errorHandler(rt.log));
  return app;
}
