export * from './connectors';
export * from './readers';
export * from './classifiers';
export * from './pipeline';
export * from './samples';
