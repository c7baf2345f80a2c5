export { generateKeypadPin, isValidKeypadPin, wpsPinChecksum } from './protocol/wps-pin.js';
