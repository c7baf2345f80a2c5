export { default } from '@wdk/config/eslint';
