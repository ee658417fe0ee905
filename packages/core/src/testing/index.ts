export * from './test-database.ts';
export * from './test-config.ts';
export * from './tiny-pdf.ts';
export * from './queue-idle.ts';
export * from './test-pdf.ts';
