import { connection } from 'next/server';
import { KioskApp } from './kiosk-app';

export default async function Page() {
  // Read at request time so one build serves any agent port.
  await connection();
  const agentPort = Number(process.env.WDK_AGENT_PORT ?? 8080);
  return <KioskApp agentPort={agentPort} />;
}
