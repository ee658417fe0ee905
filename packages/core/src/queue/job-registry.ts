import type { AnyJobDefinition, JobDefinition } from './job-definition.ts';

/** The one registry of job names. Enqueueing or running a name it lacks is an error at once. */
export class JobRegistry {
  private readonly defs = new Map<string, JobDefinition<unknown>>();

  constructor(defs: readonly AnyJobDefinition[] = []) {
    for (const d of defs) this.register(d);
  }

  register(def: AnyJobDefinition): this {
    if (this.defs.has(def.name)) throw new Error(`Job ${def.name} is registered twice`);
    this.defs.set(def.name, def as unknown as JobDefinition<unknown>);
    return this;
  }

  get(name: string): JobDefinition<unknown> {
    const def = this.defs.get(name);
    if (!def) throw new Error(`No handler is registered for job "${name}"`);
    return def;
  }

  names(): string[] {
    return [...this.defs.keys()].sort();
  }
}
