export * from './external-url';
export * from './fuses';
