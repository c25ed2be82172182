export * from './connector';
export * from './azure-blob.connector';
export * from './memory.connector';
export * from './byte-ranges';
export * from './storage-retry';
export * from './relational';
export * from './postgresql.connector';
export * from './mysql.connector';
