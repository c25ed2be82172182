export * from './poll';
export * from './ports';
export * from './temp-dir';
export * from './azurite';
export * from './names';
export * from './spec-contract';
export * from './datamap-2023-09-01';
export * from './scanning-2023-09-01';
