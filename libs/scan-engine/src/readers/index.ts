export * from './delimited.reader';
