export * from './fulltext-corpus.ts';
