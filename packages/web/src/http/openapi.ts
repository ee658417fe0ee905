import { z } from 'zod';
import { paramSchemas } from './path-params.ts';
import type { RouteDef } from './route.ts';

/** The OpenAPI 3.1 document, generated from the same definitions that mount the routes. */
export function buildOpenApi(defs: readonly RouteDef[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const def of defs) {
    const oaPath = '/api' + def.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const params = Object.entries(paramSchemas(def)).map(([name, schema]) => ({
      name,
      in: 'path',
      required: true,
      schema: z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as never,
    }));
    const op: Record<string, unknown> = {
      summary: def.summary,
      tags: [def.tag],
      'x-access': def.access,
      parameters: params,
      responses: Object.fromEntries(
        Object.entries(def.responses ?? { '200': 'OK' }).map(([k, v]) => [k, { description: v }]),
      ),
    };
    if (def.query) {
      const schema = z.toJSONSchema(def.query, { unrepresentable: 'any', io: 'input' }) as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [name, s] of Object.entries(schema.properties ?? {})) {
        params.push({
          name,
          in: 'query',
          required: schema.required?.includes(name) ?? false,
          schema: s as never,
        });
      }
    }
    if (def.body) {
      op.requestBody = {
        required: true,
        content: {
          'application/json': { schema: z.toJSONSchema(def.body, { unrepresentable: 'any', io: 'input' }) },
        },
      };
    } else if (def.rawBody) {
      op.requestBody = {
        required: true,
        content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
      };
    }
    if (def.access !== 'public') op.security = [{ bearer: [] }, { session: [] }];
    (paths[oaPath] ??= {})[def.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Winnow API',
      version: '0.1.0',
      description: 'Errors are JSON: {error: {code, message, location?}}.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Token from `winnow token create`' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'winnow_session',
          description: 'Send x-csrf-token on writes',
        },
      },
    },
    paths,
  };
}
