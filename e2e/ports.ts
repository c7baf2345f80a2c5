// Fixed, unusual ports so the suite never collides with a developer's `npm start` (3000/8080).
export const agentPort = 18080;
export const webPort = 13000;
export const simHttpPort = 18091;
/** A web server of one test's own, which that test stops and starts again (web-process.ts). */
export const restartableWebPort = 13001;
