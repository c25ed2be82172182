export * from './connector';
export * from './azure-blob.connector';
export * from './memory.connector';
export * from './byte-ranges';
export * from './storage-retry';
