export * from './seed-included.ts';
export * from './sample-codings.ts';
export * from './sample-final.ts';
export * from './read-back.ts';
