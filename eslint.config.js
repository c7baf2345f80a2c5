export { default } from './packages/config/eslint.js';
