import { createRequire } from 'node:module';

/**
 * A CommonJS package loaded the first time it is used, not when the importing module loads:
 * `winnow serve` answers its first request sooner when libraries that only some requests or jobs
 * need (citation formatting, HTML sanitising, XML parsing) stay unloaded until then. The load is
 * synchronous, so a synchronous caller stays synchronous. `fromUrl` is the caller's
 * `import.meta.url`: the package is resolved from there, as a static import would be.
 */
export function lazyModule<T>(fromUrl: string, id: string): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded === undefined) loaded = createRequire(fromUrl)(id) as T;
    return loaded;
  };
}
