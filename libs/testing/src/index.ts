export * from './poll';
export * from './ports';
export * from './temp-dir';
export * from './azurite';
export * from './names';
